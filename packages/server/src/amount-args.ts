import { badInput } from '@baas/errors';
import { isMoneyError, parseAmount, type AmountSign } from '@baas/money';

/**
 * A money argument of the API as a bigint of minor units, parsed by @baas/money's parseAmount (the
 * platform's one amount grammar: digits only, at most 2^63 − 1, positive unless said otherwise);
 * anything else is BAD_USER_INPUT naming the field (and its index in a batch).
 */
export function amountArg(value: unknown, field: string, opts: { sign?: AmountSign; index?: number } = {}): bigint {
  try {
    return parseAmount(value, opts.sign ? { sign: opts.sign } : {});
  } catch (error) {
    if (!isMoneyError(error)) throw error;
    const what = opts.sign === 'non-negative' ? 'a whole number of minor units' : 'a positive whole number of minor units';
    throw badInput(`${field} must be ${what} (at most 9223372036854775807), as a string of digits.`, { field, ...(opts.index !== undefined ? { index: opts.index } : {}) });
  }
}

/** A journal-sequence cursor or position: 1..2^63 − 1 as digits; anything else is BAD_USER_INPUT. */
export function sequenceArg(value: unknown, field: string, opts: { sign?: AmountSign } = {}): bigint {
  try {
    return parseAmount(value, opts.sign ? { sign: opts.sign } : {});
  } catch (error) {
    if (!isMoneyError(error)) throw error;
    throw badInput(`${field} is not a valid position.`, { field });
  }
}
