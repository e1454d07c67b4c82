import { computeMod11Digit } from './compute-mod11-digit';
import { normalizeCpf } from './normalize-cpf';

/**
 * The two CPF check digits for a 9-digit base ("123456789" gives "09").
 * First digit: weights 10..2 over the base; second: weights 11..2 over the base plus the first digit;
 * remainder < 2 gives 0, else 11 - remainder. Separators are tolerated; anything but 9 digits throws RangeError.
 */
export function cpfCheckDigits(first9: string): string {
  const base = normalizeCpf(first9);
  if (!/^\d{9}$/.test(base)) throw new RangeError('cpfCheckDigits expects 9 digits');
  const values = [...base].map(Number);
  const first = computeMod11Digit({ values });
  const second = computeMod11Digit({ values: [...values, first] });
  return `${first}${second}`;
}
