/**
 * Primary account numbers: Luhn check digits, issuing from a BIN and a sequence, masking and input checks.
 * Pure: the PAN itself is sealed in the vault by the caller; everywhere else only first 6 / last 4 exist.
 */

/** PAN lengths ISO/IEC 7812 allows. */
export const PAN_MIN_LENGTH = 8;
export const PAN_MAX_LENGTH = 19;
const DIGITS = /^\d+$/;

/** The Luhn check digit to append to `digits` (the PAN without its last digit). Throws TypeError on non-digits. */
export function luhnCheckDigit(digits: string): string {
  if (!DIGITS.test(digits)) throw new TypeError('luhnCheckDigit expects a non-empty string of digits');
  let sum = 0;
  // Walking from the right, the digit next to the (future) check digit is doubled, then every other one.
  for (let i = digits.length - 1, double = true; i >= 0; i--, double = !double) {
    let d = digits.charCodeAt(i) - 48;
    if (double) {
      d *= 2;
      if (d > 9) d -= 9;
    }
    sum += d;
  }
  return String((10 - (sum % 10)) % 10);
}

/** True when `pan` is at least 2 digits and its last digit is the Luhn check digit of the rest. */
export function isLuhnValid(pan: string): boolean {
  if (typeof pan !== 'string' || pan.length < 2 || !DIGITS.test(pan)) return false;
  return luhnCheckDigit(pan.slice(0, -1)) === pan.slice(-1);
}

/**
 * The PAN for sequence number `sequence` under `bin` (6 or 8 digits): BIN + zero-padded sequence + Luhn digit.
 * Distinct sequences give distinct PANs. Throws RangeError for a bad BIN or length, or a sequence that does not fit.
 */
export function panFromSequence(bin: string, sequence: bigint, length = 16): string {
  if (!/^(\d{6}|\d{8})$/.test(bin)) throw new RangeError('BIN must be 6 or 8 digits');
  if (!Number.isInteger(length) || length < 12 || length > PAN_MAX_LENGTH) throw new RangeError('PAN length must be 12..19');
  const width = length - bin.length - 1;
  if (sequence < 0n || sequence >= 10n ** BigInt(width)) {
    throw new RangeError(`sequence does not fit in ${width} digits`);
  }
  const body = bin + sequence.toString().padStart(width, '0');
  return body + luhnCheckDigit(body);
}

/** The parts of a PAN that may be stored and shown in the clear (PCI DSS: first 6 and last 4 at most). */
export function panParts(pan: string): { first6: string; last4: string } {
  return { first6: pan.slice(0, 6), last4: pan.slice(-4) };
}

/**
 * The PAN masked for display: first 6, asterisks, last 4 ("123456******1234"). Short PANs reveal fewer
 * leading digits so at least 6 stay hidden and at most 10 are ever shown.
 */
export function maskPan(pan: string): string {
  const last = Math.min(4, pan.length);
  const first = Math.max(0, Math.min(6, pan.length - last - 6));
  return pan.slice(0, first) + '*'.repeat(pan.length - first - last) + pan.slice(pan.length - last);
}

export type PanInputReason = 'MALFORMED_PAN' | 'BAD_CHECK_DIGIT';
export type PanInputResult = { ok: true; pan: string } | { ok: false; reason: PanInputReason };

/**
 * A PAN typed or sent by someone: spaces and dashes stripped, then 8-19 digits (MALFORMED_PAN) passing
 * Luhn (BAD_CHECK_DIGIT). Never throws; the refusal never echoes the input.
 */
export function checkPanInput(raw: unknown): PanInputResult {
  if (typeof raw !== 'string' || raw.length > 64) return { ok: false, reason: 'MALFORMED_PAN' };
  const pan = raw.replace(/[ -]/g, '');
  if (pan.length < PAN_MIN_LENGTH || pan.length > PAN_MAX_LENGTH || !DIGITS.test(pan)) {
    return { ok: false, reason: 'MALFORMED_PAN' };
  }
  return isLuhnValid(pan) ? { ok: true, pan } : { ok: false, reason: 'BAD_CHECK_DIGIT' };
}
