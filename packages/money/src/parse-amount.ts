import { MoneyError } from './errors';

/** The largest amount any store of the platform holds: PostgreSQL's BIGINT, the ledger's counters (2^63 − 1). */
export const INT64_MAX = 9_223_372_036_854_775_807n;

/** Which amounts a field accepts. Every money input of the API is `positive` (the default). */
export type AmountSign = 'positive' | 'non-negative';

const DIGITS = /^(0|[1-9][0-9]*)$/;
/** 2^63 − 1 has 19 digits: anything longer is out of range before BigInt() is asked to build it. */
const MAX_DIGITS = 19;

/**
 * THE parser of amounts of minor units sent by clients (GraphQL carries them as strings), used by
 * every subgraph: ASCII digits only, no sign, no leading zeros, no whitespace, no exponent, no
 * fraction, at most 2^63 − 1 (what the ledger and PostgreSQL can hold), and positive unless
 * `sign: 'non-negative'` (zero then allowed). Anything else throws MoneyError INVALID_AMOUNT, which
 * the API layer maps to BAD_USER_INPUT (`amountArg` in @baas/server). Never throws anything else.
 */
export function parseAmount(value: unknown, opts: { sign?: AmountSign } = {}): bigint {
  const sign = opts.sign ?? 'positive';
  if (typeof value !== 'string' || value.length > MAX_DIGITS || !DIGITS.test(value)) {
    throw new MoneyError('INVALID_AMOUNT', 'An amount is a whole number of minor units written as plain decimal digits.');
  }
  const amount = BigInt(value);
  if (amount > INT64_MAX) throw new MoneyError('INVALID_AMOUNT', `An amount is at most ${INT64_MAX} minor units.`);
  if (sign === 'positive' && amount === 0n) throw new MoneyError('INVALID_AMOUNT', 'The amount must be positive.');
  return amount;
}

/** Whether `amount` fits the platform's range for `sign` (what parseAmount returns). */
export function isAmountInRange(amount: bigint, sign: AmountSign = 'positive'): boolean {
  return amount <= INT64_MAX && (sign === 'positive' ? amount > 0n : amount >= 0n);
}
