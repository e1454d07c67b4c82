import { quote } from './decimal';
import { MoneyError } from './errors';
import { assertMoney, money, type Money } from './money';

/**
 * Splits `m` in proportion to `ratios` (non-negative integers, at least one positive) without losing a minor
 * unit: every part gets floor(|amount| * ratio / sum), then the leftover units go one at a time to the parts
 * with a positive ratio, first part first (Fowler's allocate, as in Dinero.js). A zero ratio always gets zero.
 * Negative amounts are split as their absolute value and negated, so allocate(-m) is allocate(m) negated.
 * Throws INVALID_ALLOCATION for an empty list, a negative or fractional ratio, or ratios that are all zero.
 */
export function allocate(m: Money, ratios: readonly bigint[] | readonly number[]): Money[] {
  assertMoney(m);
  const weights = toWeights(ratios);
  const total = weights.reduce((acc, w) => acc + w, 0n);
  if (total === 0n) throw new MoneyError('INVALID_ALLOCATION', 'At least one ratio must be positive');

  const negative = m.amount < 0n;
  const magnitude = negative ? -m.amount : m.amount;
  const shares = weights.map((w) => (magnitude * w) / total);
  // Each share was floored by less than one unit and zero weights lose nothing, so the leftover is smaller
  // than the number of positive weights and one pass over them always hands it all out.
  let leftover = magnitude - shares.reduce((acc, s) => acc + s, 0n);
  for (let i = 0; leftover > 0n && i < shares.length; i++) {
    if (weights[i]! > 0n) {
      shares[i]! += 1n;
      leftover -= 1n;
    }
  }
  return shares.map((share) => money(negative ? -share : share, m.currency));
}

/** Splits `m` into `parts` amounts that differ by at most one minor unit, larger ones first; parts >= 1. */
export function splitEvenly(m: Money, parts: number | bigint): Money[] {
  const count = typeof parts === 'bigint' ? Number(parts) : parts;
  if (!Number.isSafeInteger(count) || count < 1 || (typeof parts === 'bigint' && BigInt(count) !== parts)) {
    throw new MoneyError('INVALID_ALLOCATION', `Number of parts must be a positive integer, got ${quote(parts)}`);
  }
  return allocate(m, Array.from({ length: count }, () => 1n));
}

function toWeights(ratios: readonly bigint[] | readonly number[]): bigint[] {
  if (!Array.isArray(ratios) || ratios.length === 0) {
    throw new MoneyError('INVALID_ALLOCATION', 'Ratios must be a non-empty array');
  }
  return ratios.map((ratio: unknown) => {
    if (typeof ratio === 'bigint' && ratio >= 0n) return ratio;
    // Only safe integers: a float ratio such as 0.1 is exactly what this library exists to keep out.
    if (typeof ratio === 'number' && Number.isSafeInteger(ratio) && ratio >= 0) return BigInt(ratio);
    throw new MoneyError('INVALID_ALLOCATION', `Ratios must be non-negative integers, got ${quote(ratio)}`);
  });
}
