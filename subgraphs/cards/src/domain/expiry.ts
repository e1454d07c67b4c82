/**
 * Card expiry dates as printed and sent on the network: YYMM (DE14). A card is valid through the last instant
 * of its expiry month, in UTC, and expired from the first instant of the month after.
 */

export type Expiry = { readonly year: number; readonly month: number; readonly expiry: string };
export type ExpiryResult = { ok: true; value: Expiry } | { ok: false; reason: 'MALFORMED_EXPIRY' };

/** The YYMM expiry of a card issued at `issuedAt`: the same month, `years` later (UTC). */
export function expiryFor(issuedAt: Date, years = 4): string {
  if (!Number.isInteger(years) || years < 1 || years > 20) throw new RangeError('years must be 1..20');
  const time = issuedAt.getTime();
  if (Number.isNaN(time)) throw new RangeError('issuedAt is not a valid date');
  const year = issuedAt.getUTCFullYear() + years;
  if (year < 2000 || year > 2099) throw new RangeError('expiry year outside 2000..2099');
  return formatExpiry(year, issuedAt.getUTCMonth() + 1);
}

/** YYMM for a four-digit year in 2000..2099 and a month 1..12. */
export function formatExpiry(year: number, month: number): string {
  return String(year % 100).padStart(2, '0') + String(month).padStart(2, '0');
}

/** Parses YYMM (years 2000..2099, month 01..12); anything else is MALFORMED_EXPIRY. Never throws. */
export function parseExpiry(raw: unknown): ExpiryResult {
  if (typeof raw !== 'string' || !/^\d{4}$/.test(raw)) return { ok: false, reason: 'MALFORMED_EXPIRY' };
  const month = Number(raw.slice(2));
  if (month < 1 || month > 12) return { ok: false, reason: 'MALFORMED_EXPIRY' };
  return { ok: true, value: { year: 2000 + Number(raw.slice(0, 2)), month, expiry: raw } };
}

/** The first instant (UTC) at which a card with this expiry is expired: the start of the following month. */
export function expiresAt(expiry: string): Date {
  const parsed = parseExpiry(expiry);
  if (!parsed.ok) throw new RangeError('expiry must be YYMM with a month 01..12');
  // Date.UTC's month is 0-based, so the 1-based expiry month is already "the month after".
  return new Date(Date.UTC(parsed.value.year, parsed.value.month, 1));
}

/** True from the first instant of the month after the expiry month. Throws RangeError on a malformed expiry. */
export function isExpired(expiry: string, now: Date): boolean {
  return now.getTime() >= expiresAt(expiry).getTime();
}
