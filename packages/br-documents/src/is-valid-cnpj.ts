import { cnpjCheckDigits } from './cnpj-check-digits';
import { isRepeatedCharacter } from './is-repeated-character';
import { normalizeCnpj } from './normalize-cnpj';

/**
 * True for a CNPJ, numeric or alphanumeric, formatted or not: 12 characters [A-Z0-9] then the 2 matching numeric
 * check digits. "00.000.000/0000-00" and the other one-character CNPJs pass the arithmetic but are rejected.
 */
export function isValidCnpj(input: string): boolean {
  const cnpj = normalizeCnpj(input);
  if (!/^[A-Z0-9]{12}\d{2}$/.test(cnpj) || isRepeatedCharacter(cnpj)) return false;
  return cnpjCheckDigits(cnpj.slice(0, 12)) === cnpj.slice(12);
}
