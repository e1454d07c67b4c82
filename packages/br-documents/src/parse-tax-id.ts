import { isValidCnpj } from './is-valid-cnpj';
import { isValidCpf } from './is-valid-cpf';
import { normalizeCnpj } from './normalize-cnpj';
import { normalizeCpf } from './normalize-cpf';

export type TaxId = { kind: 'CPF' | 'CNPJ'; value: string };

/**
 * Reads a CPF (11 characters once normalised) or a CNPJ (14) and returns its normalised value, or null when the
 * length fits neither or the check digits are wrong. The length is measured with the CNPJ separators stripped,
 * but each kind is then validated with its own normalisation, so "123.456.789/09" is not taken for a CPF.
 */
export function parseTaxId(input: string): TaxId | null {
  const length = normalizeCnpj(input).length;
  if (length === 11) return isValidCpf(input) ? { kind: 'CPF', value: normalizeCpf(input) } : null;
  if (length === 14) return isValidCnpj(input) ? { kind: 'CNPJ', value: normalizeCnpj(input) } : null;
  return null;
}
