import { normalizeCpf } from '@baas/br-documents';

/**
 * Text as the field rules compare it: compatibility-decomposed (º -> o, ª -> a), accents removed,
 * upper case, runs of spaces collapsed. For matching labels and names only; values keep their accents.
 */
export function foldText(text: string): string {
  return text
    .normalize('NFKD')
    .replace(/\p{M}/gu, '')
    .toUpperCase()
    .replace(/\s+/g, ' ')
    .trim();
}

const CPF_PATTERN = /(?<![\dA-Z])([\dOoIl]{3})[.,\s]?([\dOoIl]{3})[.,\s]?([\dOoIl]{3})\s?[-–.\s]?\s?([\dOoIl]{2})(?![\dA-Z])/u;

/**
 * The 11 digits of the first CPF-shaped number in the text ("529.982.247-25", "52998224725",
 * "529 982 247 25"), with the OCR's usual letter-for-digit slips inside it (O -> 0, I/l -> 1)
 * repaired; undefined when there is none. Check digits are not verified here (isValidCpf).
 */
export function parseCpf(text: string): string | undefined {
  const m = CPF_PATTERN.exec(text);
  if (!m) return undefined;
  const digits = normalizeCpf(m.slice(1, 5).join('')).replace(/[Oo]/g, '0').replace(/[Il]/g, '1');
  return /^\d{11}$/.test(digits) ? digits : undefined;
}

/**
 * The first calendar date written day-first (dd/mm/yyyy, dd.mm.yyyy, dd-mm-yyyy, also with spaces
 * around the separators) as YYYY-MM-DD; undefined when there is none or it is not a real date
 * (31/02/2000) or its year is outside 1900..2100.
 */
export function parseDayFirstDate(text: string): string | undefined {
  const m = /(?<!\d)(\d{2})\s?[/.\-]\s?(\d{2})\s?[/.\-]\s?(\d{4})(?!\d)/.exec(text);
  if (!m) return undefined;
  const [day, month, year] = [Number(m[1]), Number(m[2]), Number(m[3])];
  if (year < 1900 || year > 2100 || month < 1 || month > 12 || day < 1) return undefined;
  const daysInMonth = new Date(Date.UTC(year, month, 0)).getUTCDate();
  if (day > daysInMonth) return undefined;
  return `${String(year).padStart(4, '0')}-${String(month).padStart(2, '0')}-${String(day).padStart(2, '0')}`;
}

/**
 * A person's name as printed (letters with their accents, spaces, apostrophes and hyphens), upper
 * case with single spaces; undefined when the text has anything else (digits, punctuation) or is
 * shorter than two words.
 */
export function parsePersonName(text: string): string | undefined {
  const name = text.normalize('NFC').replace(/\s+/g, ' ').trim().toLocaleUpperCase('pt-BR');
  if (!/^[\p{L}][\p{L}' -]*[\p{L}]$/u.test(name)) return undefined;
  if (name.split(' ').filter((w) => w.length > 0).length < 2) return undefined;
  return name;
}

/**
 * A document number as printed: digits, letters and the separators . - / (e.g. "04512873361",
 * "34.871.205-X"), spaces removed; undefined when it has fewer than 5 digits or other characters.
 */
export function parseDocumentNumber(text: string): string | undefined {
  const value = text.replace(/\s+/g, '').toUpperCase();
  if (!/^[0-9A-Z][0-9A-Z.\-/]*$/.test(value)) return undefined;
  if ((value.match(/\d/g) ?? []).length < 5) return undefined;
  return value;
}

/** Whole years from an ISO date of birth to an ISO day (both YYYY-MM-DD). */
export function ageOn(dateOfBirth: string, today: string): number {
  const [by, bm, bd] = dateOfBirth.split('-').map(Number) as [number, number, number];
  const [ty, tm, td] = today.split('-').map(Number) as [number, number, number];
  return ty - by - (tm < bm || (tm === bm && td < bd) ? 1 : 0);
}
