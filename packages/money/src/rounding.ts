import { MoneyError } from './errors';

/**
 * How an inexact result is brought back to whole minor units. HALF_UP rounds ties away from zero (Java
 * BigDecimal semantics, not Math.round's toward +infinity); DOWN and UP are toward and away from zero.
 */
export type RoundingMode = 'HALF_EVEN' | 'HALF_UP' | 'DOWN' | 'UP' | 'FLOOR' | 'CEILING';

/** All rounding modes, e.g. to build a GraphQL enum or validate input. */
export const ROUNDING_MODES: readonly RoundingMode[] = Object.freeze([
  'HALF_EVEN',
  'HALF_UP',
  'DOWN',
  'UP',
  'FLOOR',
  'CEILING',
]);

/** True when `value` names a rounding mode. */
export function isRoundingMode(value: unknown): value is RoundingMode {
  return typeof value === 'string' && (ROUNDING_MODES as readonly string[]).includes(value);
}

/** numerator / denominator rounded to an integer with `rounding`; exact for any size since it stays in bigint. */
export function divideRounded(numerator: bigint, denominator: bigint, rounding: RoundingMode): bigint {
  if (!isRoundingMode(rounding)) {
    throw new MoneyError('INVALID_ROUNDING_MODE', `Unknown rounding mode: ${String(rounding).slice(0, 40)}`);
  }
  if (denominator === 0n) throw new MoneyError('DIVISION_BY_ZERO', 'Division by zero');
  // Normalising the divisor to positive leaves only the numerator's sign to reason about below.
  const n = denominator < 0n ? -numerator : numerator;
  const d = denominator < 0n ? -denominator : denominator;
  const quotient = n / d; // bigint division truncates toward zero
  const remainder = n % d; // carries the sign of n
  if (remainder === 0n) return quotient;

  const awayFromZero = quotient + (n < 0n ? -1n : 1n);
  switch (rounding) {
    case 'DOWN':
      return quotient;
    case 'UP':
      return awayFromZero;
    case 'FLOOR':
      return n < 0n ? awayFromZero : quotient;
    case 'CEILING':
      return n > 0n ? awayFromZero : quotient;
    case 'HALF_UP':
    case 'HALF_EVEN': {
      const twiceRemainder = (remainder < 0n ? -remainder : remainder) * 2n;
      if (twiceRemainder > d) return awayFromZero;
      if (twiceRemainder < d) return quotient;
      if (rounding === 'HALF_UP') return awayFromZero;
      return quotient % 2n === 0n ? quotient : awayFromZero;
    }
  }
}
