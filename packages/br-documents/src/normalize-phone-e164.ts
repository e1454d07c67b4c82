import { BRAZIL_AREA_CODES } from './brazil-area-codes';

/** Separators people type between digits; anything else (letters, extensions, a second '+') rejects the input. */
const ALLOWED = /^\+?[\d\s().\-]+$/;

/**
 * A Brazilian national number: area code from the Anatel list, then a 9-digit mobile starting with 9 or an
 * 8-digit landline starting with 2-5 (an 8-digit number starting with 6-9 is a mobile missing its ninth digit).
 */
function isBrazilianNationalNumber(national: string): boolean {
  const match = /^(\d{2})(9\d{8}|[2-5]\d{7})$/.exec(national);
  return match !== null && BRAZIL_AREA_CODES.has(match[1] ?? '');
}

/**
 * Normalises a phone number to E.164 ("+5511912345678"), or returns null.
 *
 * - With '+': E.164, i.e. '+' then 8 to 15 digits, the country code not starting with 0. A '+55' number must
 *   also be a valid Brazilian number; other countries are only checked for that E.164 shape.
 * - Without '+': a national number of `defaultCountry`. Only Brazil's plan is known, so any other default gives
 *   null: "(11) 91234-5678" or "011 91234-5678" (one trunk '0' tolerated) become "+5511912345678".
 *
 * Spaces, '-', '.', '(' and ')' are ignored wherever they are; any other character rejects the input.
 */
export function normalizePhoneE164(input: string, defaultCountry = '55'): string | null {
  const trimmed = input.trim();
  if (!ALLOWED.test(trimmed)) return null;
  const digits = trimmed.replace(/\D/g, '');
  if (trimmed.startsWith('+')) {
    if (!/^[1-9]\d{7,14}$/.test(digits)) return null;
    if (digits.startsWith('55') && !isBrazilianNationalNumber(digits.slice(2))) return null;
    return `+${digits}`;
  }
  if (defaultCountry !== '55') return null;
  // Area codes never start with 0, so a leading 0 can only be the trunk prefix dialled before them.
  const national = digits.startsWith('0') ? digits.slice(1) : digits;
  return isBrazilianNationalNumber(national) ? `+55${national}` : null;
}
