import { getCurrency } from './currencies';
import { parseDecimal, powerOfTen, quote } from './decimal';
import { MoneyError } from './errors';
import { divideRounded, type RoundingMode } from './rounding';

/** An exact amount of money: `amount` in minor units of the ISO 4217 `currency` (1234n BRL is R$ 12,34). */
export type Money = { readonly amount: bigint; readonly currency: string };

/**
 * Creates a frozen Money. Throws INVALID_AMOUNT unless `amount` is a bigint (a number would already have lost
 * precision beyond 2^53) and UNKNOWN_CURRENCY unless `currency` is a supported ISO 4217 code.
 */
export function money(amount: bigint, currency: string): Money {
  if (typeof amount !== 'bigint') {
    throw new MoneyError('INVALID_AMOUNT', `Amount must be a bigint of minor units, got ${typeof amount} ${quote(amount)}`);
  }
  getCurrency(currency);
  return Object.freeze({ amount, currency });
}

/** Zero in `currency`. */
export function zero(currency: string): Money {
  return money(0n, currency);
}

/** True when `value` has a bigint amount and a supported currency (for values crossing a trust boundary). */
export function isMoney(value: unknown): value is Money {
  try {
    assertMoney(value);
    return true;
  } catch {
    return false;
  }
}

/** a + b; throws CURRENCY_MISMATCH when the currencies differ. */
export function add(a: Money, b: Money): Money {
  return money(a.amount + b.amount, sameCurrency(a, b));
}

/** a - b; throws CURRENCY_MISMATCH when the currencies differ. */
export function subtract(a: Money, b: Money): Money {
  return money(a.amount - b.amount, sameCurrency(a, b));
}

/** -m. */
export function negate(m: Money): Money {
  return money(-checked(m).amount, m.currency);
}

/** |m|. */
export function abs(m: Money): Money {
  const amount = checked(m).amount;
  return amount < 0n ? money(-amount, m.currency) : m;
}

/** The total of `items`, all in `currency` (needed so that an empty list still has one); zero when empty. */
export function sum(items: readonly Money[], currency: string): Money {
  let total = zero(currency);
  for (const item of items) total = add(total, item);
  return total;
}

/** -1, 0 or 1 as a is less than, equal to or greater than b; throws CURRENCY_MISMATCH when the currencies differ. */
export function compare(a: Money, b: Money): -1 | 0 | 1 {
  sameCurrency(a, b);
  return a.amount < b.amount ? -1 : a.amount > b.amount ? 1 : 0;
}

/**
 * True when both amounts are equal. Different currencies throw CURRENCY_MISMATCH instead of returning false,
 * because comparing across currencies is always a bug upstream rather than an inequality.
 */
export function equals(a: Money, b: Money): boolean {
  return compare(a, b) === 0;
}

/** True when the amount is zero. */
export function isZero(m: Money): boolean {
  return checked(m).amount === 0n;
}

/** True when the amount is below zero. */
export function isNegative(m: Money): boolean {
  return checked(m).amount < 0n;
}

/** True when the amount is above zero. */
export function isPositive(m: Money): boolean {
  return checked(m).amount > 0n;
}

/** m * factor for an integer factor (exact, no rounding). */
export function multiply(m: Money, factor: bigint): Money {
  if (typeof factor !== 'bigint') {
    throw new MoneyError('INVALID_AMOUNT', `Factor must be a bigint, got ${typeof factor} ${quote(factor)}`);
  }
  return money(checked(m).amount * factor, m.currency);
}

/**
 * m * rate, where rate is a plain decimal string such as "5.4321" or "-0.015" (same grammar as parseMoney: no
 * exponent, no "+", no ".5"), computed exactly in bigint and rounded once to minor units with `rounding`.
 * Throws INVALID_RATE for a malformed rate and INVALID_ROUNDING_MODE for an unknown mode.
 */
export function multiplyByRate(m: Money, rate: string, rounding: RoundingMode): Money {
  const parsed = parseDecimal(rate);
  if (parsed === undefined) {
    throw new MoneyError('INVALID_RATE', `Rate must be a plain decimal string like "5.4321", got ${quote(rate)}`);
  }
  const amount = divideRounded(checked(m).amount * parsed.unscaled, powerOfTen(parsed.scale), rounding);
  return money(amount, m.currency);
}

/** m / divisor rounded with `rounding`; throws DIVISION_BY_ZERO for 0n. To split without losing units, use allocate. */
export function divide(m: Money, divisor: bigint, rounding: RoundingMode): Money {
  if (typeof divisor !== 'bigint') {
    throw new MoneyError('INVALID_AMOUNT', `Divisor must be a bigint, got ${typeof divisor} ${quote(divisor)}`);
  }
  return money(divideRounded(checked(m).amount, divisor, rounding), m.currency);
}

/**
 * Throws unless `value` is a Money with a bigint amount and a supported currency. Money is a structural type, so
 * plain object literals (or JSON-decoded values) can reach the library; every operation validates through here.
 */
export function assertMoney(value: unknown): asserts value is Money {
  if (typeof value !== 'object' || value === null) {
    throw new MoneyError('INVALID_AMOUNT', `Expected a Money value, got ${quote(value)}`);
  }
  const { amount, currency } = value as { amount?: unknown; currency?: unknown };
  if (typeof amount !== 'bigint') {
    throw new MoneyError('INVALID_AMOUNT', `Amount must be a bigint of minor units, got ${typeof amount}`);
  }
  getCurrency(currency as string);
}

function checked(m: Money): Money {
  assertMoney(m);
  return m;
}

function sameCurrency(a: Money, b: Money): string {
  checked(a);
  checked(b);
  if (a.currency !== b.currency) {
    throw new MoneyError('CURRENCY_MISMATCH', `Currency mismatch: ${a.currency} vs ${b.currency}`);
  }
  return a.currency;
}
