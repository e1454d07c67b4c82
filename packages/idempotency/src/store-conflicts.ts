/**
 * Recognises the write conflicts create-or-replay handles, from pg and from Prisma (its own codes
 * and its driver adapter's), along the `cause` chain. Structural checks only: no driver imported.
 */

type Shape = { code?: unknown; cause?: unknown; meta?: { code?: unknown; driverAdapterError?: { cause?: { kind?: unknown; originalCode?: unknown; code?: unknown } } } };

/** SQLSTATE 23505; Prisma P2002 (a raw query's P2010 carries the SQLSTATE in meta.code). */
const UNIQUE = new Set(['23505', 'P2002']);
/** SQLSTATE 40001 (serialization failure), 40P01 (deadlock); Prisma P2034 (write conflict or deadlock). */
const RETRYABLE = new Set(['40001', '40P01', 'P2034']);
const UNIQUE_KINDS = new Set(['UniqueConstraintViolation']);
const RETRYABLE_KINDS = new Set(['TransactionWriteConflict']);

function codesOf(error: Shape): { codes: unknown[]; kind: unknown } {
  const adapter = error.meta?.driverAdapterError?.cause;
  return { codes: [error.code, error.meta?.code, adapter?.originalCode, adapter?.code], kind: adapter?.kind };
}

function some(error: unknown, codes: Set<string>, kinds: Set<string>): boolean {
  let current: unknown = error;
  for (let depth = 0; depth < 8 && current && typeof current === 'object'; depth++) {
    const { codes: found, kind } = codesOf(current as Shape);
    if (found.some((code) => typeof code === 'string' && codes.has(code))) return true;
    if (typeof kind === 'string' && kinds.has(kind)) return true;
    current = (current as Shape).cause;
  }
  return false;
}

/** A unique key was taken (by a concurrent request with the same idempotency key, or another unique value). */
export const isUniqueViolation = (error: unknown): boolean => some(error, UNIQUE, UNIQUE_KINDS);

/** A serialization failure or deadlock: the transaction may simply be run again. */
export const isSerializationConflict = (error: unknown): boolean => some(error, RETRYABLE, RETRYABLE_KINDS);
