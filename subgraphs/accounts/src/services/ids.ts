import { createHash } from 'node:crypto';

/**
 * A UUID (version 5 layout, RFC 9562 variant) derived from sha256(name): the same name gives the same
 * id. Ledger writes of a saga and platform ledger accounts use it, so every retry is a replay.
 */
export function deterministicUuid(name: string): string {
  const b = createHash('sha256').update(name).digest().subarray(0, 16);
  b[6] = (b[6]! & 0x0f) | 0x50;
  b[8] = (b[8]! & 0x3f) | 0x80;
  const h = b.toString('hex');
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20)}`;
}

/** SHA-256 of a request's content: a repeated idempotency key with other content is IDEMPOTENCY_KEY_REUSED. */
export const requestHash = (value: unknown) => createHash('sha256').update(JSON.stringify(value)).digest('hex');
