import { createHash } from 'node:crypto';

/**
 * The id of the EXPIRE transfer for a pending one: derived, not random, so two ledger instances
 * expiring the same hold at once write one transfer (the second is a replay).
 */
export function expireTransferId(pendingId: string): string {
  const h = createHash('sha256').update(`baas-ledger-expire:${pendingId}`).digest('hex');
  // A UUID (version 8: custom) built from the hash.
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-8${h.slice(13, 16)}-${((parseInt(h.slice(16, 18), 16) & 0x3f) | 0x80).toString(16)}${h.slice(18, 20)}-${h.slice(20, 32)}`;
}
