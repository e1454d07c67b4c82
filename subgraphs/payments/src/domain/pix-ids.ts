import { DomainError } from '@baas/errors';

/**
 * PIX identifiers (pure).
 *
 * EndToEndId: 32 characters, 'E' + the 8-digit ISPB of the initiating participant + yyyyMMddHHmm (UTC) + 11
 * alphanumerics. A refund (devolução) id has the same shape with 'D' (the ReturnIdentification).
 *
 * txid: a charge's id chosen by the receiver. cob / cobv: 26 to 35 characters [a-zA-Z0-9]. In a static BR Code
 * (field 62-05): 1 to 25 of the same characters, or '***' when the code carries none.
 */

export type EndToEndKind = 'E' | 'D';
export type EndToEndId = {
  readonly kind: EndToEndKind;
  readonly ispb: string;
  /** The minute the id was made, UTC (seconds and milliseconds are 0). */
  readonly at: Date;
  readonly suffix: string;
};
export type TxidKind = 'COB' | 'COBV' | 'STATIC';

export const END_TO_END_ID_LENGTH = 32;
const ALPHANUMERIC = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';
const END_TO_END = /^([ED])(\d{8})(\d{4})(\d{2})(\d{2})(\d{2})(\d{2})([a-zA-Z0-9]{11})$/;
const ISPB = /^\d{8}$/;
const SUFFIX = /^[a-zA-Z0-9]{11}$/;
const CHARGE_TXID = /^[a-zA-Z0-9]{26,35}$/;
const STATIC_TXID = /^[a-zA-Z0-9]{1,25}$/;

function refuse(field: string, reason: string, message: string): DomainError {
  return new DomainError('BAD_USER_INPUT', message, { field, reason });
}

/** `length` characters drawn uniformly from [A-Za-z0-9] (rejection sampling over crypto random bytes). */
export function randomAlphanumeric(length: number): string {
  let out = '';
  const bytes = new Uint8Array(length * 2);
  while (out.length < length) {
    globalThis.crypto.getRandomValues(bytes);
    for (const byte of bytes) {
      if (byte < 248 && out.length < length) out += ALPHANUMERIC[byte % 62];
    }
  }
  return out;
}

const pad = (n: number, width: number) => String(n).padStart(width, '0');

/** yyyyMMddHHmm of `at` in UTC. */
export function endToEndTimestamp(at: Date): string {
  if (!(at instanceof Date) || Number.isNaN(at.getTime())) throw refuse('at', 'INVALID_DATE', 'Not a valid date.');
  const year = at.getUTCFullYear();
  if (year < 1000 || year > 9999) throw refuse('at', 'INVALID_DATE', 'The year must have 4 digits.');
  return `${year}${pad(at.getUTCMonth() + 1, 2)}${pad(at.getUTCDate(), 2)}${pad(at.getUTCHours(), 2)}${pad(at.getUTCMinutes(), 2)}`;
}

function makeId(kind: EndToEndKind, ispb: string, at: Date, suffix?: string): string {
  if (typeof ispb !== 'string' || !ISPB.test(ispb)) throw refuse('ispb', 'INVALID_ISPB', 'An ISPB is 8 digits.');
  const tail = suffix ?? randomAlphanumeric(11);
  if (typeof tail !== 'string' || !SUFFIX.test(tail)) throw refuse('suffix', 'INVALID_END_TO_END_ID', 'The suffix is 11 alphanumerics.');
  return `${kind}${ispb}${endToEndTimestamp(at)}${tail}`;
}

/** A new EndToEndId for a payment initiated by participant `ispb` at `at`; `suffix` (11 alphanumerics) defaults to random. */
export function newEndToEndId(ispb: string, at: Date, suffix?: string): string {
  return makeId('E', ispb, at, suffix);
}

/** A new refund (devolução) id: the EndToEndId shape with 'D'. */
export function newReturnId(ispb: string, at: Date, suffix?: string): string {
  return makeId('D', ispb, at, suffix);
}

/** The parts of an EndToEndId ('E') or refund id ('D'), or BAD_USER_INPUT with reason INVALID_END_TO_END_ID. */
export function parseEndToEndId(s: string, field = 'endToEndId'): EndToEndId {
  const m = typeof s === 'string' ? END_TO_END.exec(s) : null;
  if (!m) throw refuse(field, 'INVALID_END_TO_END_ID', 'Not a valid EndToEndId.');
  const [, kind, ispb, y, mo, d, h, mi, suffix] = m as unknown as [string, EndToEndKind, string, string, string, string, string, string, string];
  const [year, month, day, hour, minute] = [y, mo, d, h, mi].map(Number) as [number, number, number, number, number];
  const at = new Date(Date.UTC(year, month - 1, day, hour, minute));
  // Date.UTC rolls over (month 13, 31 February, hour 24): a real timestamp formats back to itself.
  if (year < 1000 || endToEndTimestamp(at) !== `${y}${mo}${d}${h}${mi}`) throw refuse(field, 'INVALID_END_TO_END_ID', 'Not a valid EndToEndId.');
  return { kind, ispb, at, suffix };
}

export function isValidEndToEndId(s: string): boolean {
  try {
    return parseEndToEndId(s).kind === 'E';
  } catch {
    return false;
  }
}

/** Whether `txid` is valid for a charge of `kind`: 26-35 alphanumerics for cob/cobv; 1-25 or '***' in a static BR Code. */
export function isValidTxid(txid: string, kind: TxidKind = 'COB'): boolean {
  if (typeof txid !== 'string') return false;
  if (kind === 'STATIC') return txid === '***' || STATIC_TXID.test(txid);
  return CHARGE_TXID.test(txid);
}

/** `txid` itself when valid for `kind`, else BAD_USER_INPUT with reason INVALID_TXID. */
export function parseTxid(txid: string, kind: TxidKind = 'COB', field = 'txid'): string {
  if (!isValidTxid(txid, kind)) {
    const rule = kind === 'STATIC' ? "1 to 25 letters or digits, or '***'" : '26 to 35 letters or digits';
    throw refuse(field, 'INVALID_TXID', `A txid is ${rule}.`);
  }
  return txid;
}

/** A new random txid for a cob/cobv charge (32 alphanumerics by default; 26-35 allowed). */
export function newTxid(length = 32): string {
  if (!Number.isInteger(length) || length < 26 || length > 35) throw refuse('length', 'INVALID_TXID', 'A txid is 26 to 35 characters.');
  return randomAlphanumeric(length);
}
