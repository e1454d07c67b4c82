/**
 * End-to-end ids in the PIX format: kind ('E' a payment, 'D' a return) + the 8-digit ISPB of the
 * initiating participant + yyyyMMddHHmm (UTC) + 11 alphanumerics = 32 characters. Same logic as
 * the payments subgraph's domain/pix-ids.ts (a package may not import a subgraph).
 */

const ALPHANUMERIC = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';
const END_TO_END = /^[ED]\d{8}\d{12}[a-zA-Z0-9]{11}$/;

/** `length` characters drawn uniformly from [A-Za-z0-9] (rejection sampling over crypto random bytes). */
export function randomAlphanumeric(length: number): string {
  let out = '';
  const bytes = new Uint8Array(length * 2);
  while (out.length < length) {
    globalThis.crypto.getRandomValues(bytes);
    for (const byte of bytes) if (byte < 248 && out.length < length) out += ALPHANUMERIC[byte % 62];
  }
  return out;
}

const pad = (n: number, width: number) => String(n).padStart(width, '0');

/** A new end-to-end id of participant `ispb` made at `at`; kind 'D' for a return (devolução) id. */
export function newEndToEndId(ispb: string, at: Date = new Date(), kind: 'E' | 'D' = 'E'): string {
  if (!/^\d{8}$/.test(ispb)) throw new TypeError('an ISPB is 8 digits');
  if (Number.isNaN(at.getTime())) throw new TypeError('not a valid date');
  const stamp = `${at.getUTCFullYear()}${pad(at.getUTCMonth() + 1, 2)}${pad(at.getUTCDate(), 2)}${pad(at.getUTCHours(), 2)}${pad(at.getUTCMinutes(), 2)}`;
  return `${kind}${ispb}${stamp}${randomAlphanumeric(11)}`;
}

/** Whether `id` has the shape of a PIX end-to-end id ('E') or return id ('D'); the date is not checked. */
export function isEndToEndIdShape(id: string): boolean {
  return END_TO_END.test(id);
}
