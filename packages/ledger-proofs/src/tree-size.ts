import { LedgerProofError } from './errors';

/** Largest power of two strictly below n (n ≥ 2): the RFC's split point k. Arithmetic, not bit ops, past 2^31. */
export function splitPoint(n: number): number {
  let k = 1;
  while (k * 2 < n) k *= 2;
  return k;
}

/** Tree sizes and indexes as bigint; verifiers shift them, and JS bit operators truncate numbers to 32 bits. */
export function toSize(value: number | bigint): bigint | undefined {
  if (typeof value === 'bigint') return value >= 0n ? value : undefined;
  return Number.isSafeInteger(value) && value >= 0 ? BigInt(value) : undefined;
}

/** Throws INVALID_INDEX unless value is a safe integer in [min, max]. */
export function assertIndex(value: number, min: number, max: number, what: string): void {
  if (!Number.isSafeInteger(value) || value < min || value > max) {
    throw new LedgerProofError('INVALID_INDEX', `${what} must be an integer in [${min}, ${max}], got ${String(value)}`);
  }
}

/**
 * MTH(D[start:end]) of the tree being proved, from wherever the caller keeps it. Proof builders only ask for
 * ranges the RFC recursion visits: either a perfect subtree (end - start a power of two, start a multiple of it)
 * or a range ending at the tree size; so a store of perfect-subtree roots answers every request.
 */
export type SubtreeRootFn = (start: number, end: number) => Buffer;
