/**
 * Card verification values derived with a keyed HMAC, never stored: the issuer recomputes the CVV from the
 * PAN, expiry and service code whenever it has to show or check one. (Real issuers use 3DES CVK pairs; an
 * HMAC-SHA256 key plays that part here.)
 */
import { createHmac, timingSafeEqual } from 'node:crypto';

const PAN = /^\d{8,19}$/;
const EXPIRY = /^\d{4}$/;
const SERVICE_CODE = /^\d{3}$/;
const CVV = /^\d{3}$/;
/** Shortest key accepted: 128 bits. */
export const CVV_KEY_MIN_BYTES = 16;

/**
 * Visa-style decimalisation of a hex string: its decimal digits in order, then its letters a-f mapped to 0-5.
 * A SHA-256 hex digest always has enough characters for `length` up to 64.
 */
export function decimalise(hex: string, length: number): string {
  let digits = '';
  for (const c of hex) if (c >= '0' && c <= '9') digits += c;
  for (const c of hex) if (c >= 'a' && c <= 'f') digits += String(c.charCodeAt(0) - 97);
  return digits.slice(0, length);
}

/**
 * The 3-digit CVV of a card: HMAC-SHA256(key, "pan|expiry|serviceCode"), decimalised. `expiry` is YYMM;
 * service code '000' is the CVV2 printed on the card (a magstripe CVV1 would use the card's own, e.g. '101').
 * Throws RangeError on a short key or malformed inputs.
 */
export function deriveCvv(key: Uint8Array, pan: string, expiry: string, serviceCode = '000'): string {
  if (!(key instanceof Uint8Array) || key.length < CVV_KEY_MIN_BYTES) throw new RangeError(`CVV key must be at least ${CVV_KEY_MIN_BYTES} bytes`);
  if (!PAN.test(pan)) throw new RangeError('PAN must be 8-19 digits');
  if (!EXPIRY.test(expiry)) throw new RangeError('expiry must be YYMM');
  if (!SERVICE_CODE.test(serviceCode)) throw new RangeError('service code must be 3 digits');
  const hex = createHmac('sha256', key).update(`${pan}|${expiry}|${serviceCode}`).digest('hex');
  return decimalise(hex, 3);
}

/**
 * True when `given` is the card's CVV. Compared in constant time over equal-length buffers; false (never a
 * throw) for a malformed key, PAN, expiry, service code or CVV.
 */
export function cvvMatches(key: Uint8Array, pan: string, expiry: string, given: unknown, serviceCode = '000'): boolean {
  if (typeof given !== 'string' || !CVV.test(given)) return false;
  let expected: string;
  try {
    expected = deriveCvv(key, pan, expiry, serviceCode);
  } catch {
    return false;
  }
  return timingSafeEqual(Buffer.from(expected, 'utf8'), Buffer.from(given, 'utf8'));
}
