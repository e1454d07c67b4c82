import { cpfCheckDigits } from './cpf-check-digits';
import { isRepeatedCharacter } from './is-repeated-character';
import { normalizeCpf } from './normalize-cpf';

/**
 * True for a CPF, formatted or not, whose 11 digits carry matching check digits.
 * One digit repeated eleven times ("111.111.111-11") passes the arithmetic but is not a CPF, so it is rejected.
 */
export function isValidCpf(input: string): boolean {
  const cpf = normalizeCpf(input);
  if (!/^\d{11}$/.test(cpf) || isRepeatedCharacter(cpf)) return false;
  return cpfCheckDigits(cpf.slice(0, 9)) === cpf.slice(9);
}
