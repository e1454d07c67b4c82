import { randomFillSync } from 'node:crypto';

/** The four fields of a W3C `traceparent` header. */
export type Traceparent = { version: string; traceId: string; parentId: string; flags: string };

// Version 00 only: the spec lets a parser that does not know a newer version reject it, and 'ff' is forbidden.
const TRACEPARENT = /^(00)-([0-9a-f]{32})-([0-9a-f]{16})-([0-9a-f]{2})$/;
const ZERO_TRACE_ID = '0'.repeat(32);
const ZERO_PARENT_ID = '0'.repeat(16);

/**
 * Parses a W3C trace context `traceparent` header (version 00, lowercase hex, trace id and parent id
 * not all zeros). Returns undefined for anything invalid, so the caller starts a new trace.
 */
export function parseTraceparent(header?: string): Traceparent | undefined {
  if (typeof header !== 'string') return undefined;
  const match = TRACEPARENT.exec(header.trim());
  if (!match) return undefined;
  const [, version, traceId, parentId, flags] = match as unknown as [string, string, string, string, string];
  if (traceId === ZERO_TRACE_ID || parentId === ZERO_PARENT_ID) return undefined;
  return { version, traceId, parentId, flags };
}

/**
 * The `traceparent` for a new span: same trace id and flags as `parent` with a new span id, or a
 * brand-new sampled trace when `parent` is absent or invalid.
 */
export function childTraceparent(parent?: string): string {
  const parsed = parseTraceparent(parent);
  const traceId = parsed?.traceId ?? randomHex(16);
  const flags = parsed?.flags ?? '01';
  return `00-${traceId}-${randomHex(8)}-${flags}`;
}

// Ids come from a pool of random bytes refilled 4 KiB at a time (as crypto.randomUUID does): one
// randomBytes call per id was a measurable share of the gateway's CPU per request.
const POOL_SIZE = 4096;
const pool = Buffer.alloc(POOL_SIZE);
let poolOffset = POOL_SIZE;

// All-zero ids are invalid; with 64+ random bits this loop practically never repeats.
function randomHex(bytes: number): string {
  for (;;) {
    if (poolOffset + bytes > POOL_SIZE) {
      randomFillSync(pool);
      poolOffset = 0;
    }
    const hex = pool.toString('hex', poolOffset, (poolOffset += bytes));
    if (/[^0]/.test(hex)) return hex;
  }
}
