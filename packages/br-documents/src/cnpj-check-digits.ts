import { computeMod11Digit } from './compute-mod11-digit';
import { normalizeCnpj } from './normalize-cnpj';

/** Character value from Nota Técnica COCAD/SUARA/RFB 49/2024: ASCII code - 48, so digits keep theirs and 'A' = 17. */
const valueOf = (char: string): number => char.charCodeAt(0) - 48;

/**
 * The two numeric CNPJ check digits for a 12-character base of [A-Z0-9] ("12ABC34501DE" gives "35").
 * Modulo 11 with weights 2..9 cycling from the right (the second digit also covers the first);
 * remainder < 2 gives 0, else 11 - remainder. Purely numeric bases get the same digits as before 2026.
 * Separators and lower case are tolerated (see normalizeCnpj); any other shape throws RangeError.
 */
export function cnpjCheckDigits(first12: string): string {
  const base = normalizeCnpj(first12);
  if (!/^[A-Z0-9]{12}$/.test(base)) throw new RangeError('cnpjCheckDigits expects 12 characters [A-Z0-9]');
  const values = [...base].map(valueOf);
  const first = computeMod11Digit({ values, cycleAt: 9 });
  const second = computeMod11Digit({ values: [...values, first], cycleAt: 9 });
  return `${first}${second}`;
}
