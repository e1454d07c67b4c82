import { divideRounded, getCurrency, money, MoneyError, type Money, type RoundingMode } from '@baas/money';

/**
 * FX quotes between currencies with different ISO 4217 exponents (JPY 0, BRL/USD 2, KWD 3, CLF 4), exact in bigint.
 *
 * Rates: `midRate` is the price of one major unit of `from` in major units of `to` ("5.4321" for USD→BRL means
 * US$ 1 = R$ 5.4321), a plain positive decimal string, held as an exact rational. No float ever touches it.
 *
 * Spread: the customer rate is midRate × (1 − spreadBps / 10 000), so the customer always gets fewer `to` units per
 * `from` unit than at mid. It is an exact decimal with at most MAX_MID_RATE_SCALE + 4 fraction digits, returned as
 * `rate` with exactly CUSTOMER_RATE_SCALE digits: the displayed rate is the rate applied, not a rounding of it.
 *
 * Rounding, always in the platform's favour, once, on the final minor-unit amount:
 *   - sell side fixed (the customer says how much `from` to give): buyAmount = floor(sell × customer rate),
 *     what the customer receives is rounded down;
 *   - buy side fixed (the customer says how much `to` to get): sellAmount = ceil(buy / customer rate), what the
 *     customer pays is rounded up; buyAmount is exactly what was asked for.
 *   - spreadAmount (in `from`) = ceil(sellAmount × spreadBps / 10 000), the part of the sell amount charged as
 *     spread, rounded up like every charge. It excludes the rounding of the converted amount.
 * Either way buyAmount ≤ sellAmount × customer rate ≤ sellAmount × midRate: no minor unit is ever created.
 * A quote whose buy amount would round to zero is refused (INVALID_AMOUNT) instead of taking money for nothing.
 *
 * Errors are MoneyError from @baas/money: UNKNOWN_CURRENCY, INVALID_RATE (rate or spread), INVALID_AMOUNT.
 */

/** A positive exact rate as a reduced fraction: numerator / denominator, both positive bigints. */
export type Rate = { readonly numerator: bigint; readonly denominator: bigint };

/** Most fraction digits a mid rate may have ("0.000012345678" is fine; tiny cross rates need them). */
export const MAX_MID_RATE_SCALE = 12;
/** Fraction digits of the customer rate string; mid scale + 4 (basis points), so it is always exact. */
export const CUSTOMER_RATE_SCALE = MAX_MID_RATE_SCALE + 4;
/** Spreads are whole basis points from 0 up to (not including) 10 000, i.e. 100 %. */
export const MAX_SPREAD_BPS = 9_999;

const BPS = 10_000n;
// Same grammar as @baas/money's amounts and rates (its parser is internal), minus the sign: rates are positive.
const RATE = /^(0|[1-9][0-9]*)(?:\.([0-9]+))?$/;
const MAX_RATE_TEXT = 40;

export type FxQuoteInput = {
  readonly from: string;
  readonly to: string;
  /** Minor units of `from` the customer gives; exactly one of sellAmountMinor and buyAmountMinor. */
  readonly sellAmountMinor?: bigint;
  /** Minor units of `to` the customer wants to receive. */
  readonly buyAmountMinor?: bigint;
  /** Major units of `to` per major unit of `from`, e.g. "5.4321". */
  readonly midRate: string;
  /** Platform spread in whole basis points (50 = 0.5 %). */
  readonly spreadBps: number;
};

export type FxQuote = {
  readonly from: string;
  readonly to: string;
  /** Which amount the customer fixed; the other one was computed and rounded in the platform's favour. */
  readonly fixedSide: 'SELL' | 'BUY';
  /** What the customer pays, in `from`. */
  readonly sellAmount: Money;
  /** What the customer receives, in `to`. */
  readonly buyAmount: Money;
  /** Part of sellAmount charged as spread, in `from` (rounded up). */
  readonly spreadAmount: Money;
  /** The mid rate as given. */
  readonly midRate: string;
  /** The customer rate as a decimal string with exactly CUSTOMER_RATE_SCALE fraction digits (exact). */
  readonly rate: string;
  /** The customer rate as an exact fraction. */
  readonly customerRate: Rate;
  readonly spreadBps: number;
};

/** Parses a positive decimal rate ("5.4321", "0.0067", "150") into a reduced fraction; throws INVALID_RATE. */
export function parseRate(text: string): Rate {
  const match = typeof text === 'string' && text.length <= MAX_RATE_TEXT ? RATE.exec(text) : null;
  if (match === null) {
    throw new MoneyError('INVALID_RATE', 'A rate is a plain positive decimal string like "5.4321"');
  }
  const [, integer = '', fraction = ''] = match;
  if (fraction.length > MAX_MID_RATE_SCALE) {
    throw new MoneyError('INVALID_RATE', `A rate has at most ${MAX_MID_RATE_SCALE} fraction digits`);
  }
  const rate = reduce(BigInt(integer + fraction), 10n ** BigInt(fraction.length));
  if (rate.numerator === 0n) throw new MoneyError('INVALID_RATE', 'A rate must be greater than zero');
  return rate;
}

/** `rate` as a decimal string with exactly `scale` fraction digits, rounded with `rounding` (DOWN by default). */
export function formatRate(rate: Rate, scale: number, rounding: RoundingMode = 'DOWN'): string {
  if (!Number.isSafeInteger(scale) || scale < 0 || scale > 64) {
    throw new MoneyError('INVALID_RATE', 'Scale must be an integer from 0 to 64');
  }
  const scaled = divideRounded(rate.numerator * 10n ** BigInt(scale), rate.denominator, rounding);
  const negative = scaled < 0n;
  const digits = (negative ? -scaled : scaled).toString().padStart(scale + 1, '0');
  const body = scale === 0 ? digits : `${digits.slice(0, -scale)}.${digits.slice(-scale)}`;
  return negative ? `-${body}` : body;
}

/** midRate × (1 − spreadBps / 10 000), exact. */
export function customerRate(midRate: string, spreadBps: number): Rate {
  const mid = parseRate(midRate);
  return reduce(mid.numerator * (BPS - checkedSpread(spreadBps)), mid.denominator * BPS);
}

/** Prices a conversion; see the module comment for the rate convention and rounding. */
export function quote(input: FxQuoteInput): FxQuote {
  const { from, to, midRate, spreadBps } = input;
  const fromUnits = getCurrency(from).minorUnits;
  const toUnits = getCurrency(to).minorUnits;
  const rate = customerRate(midRate, spreadBps);
  // `to` minor units per `from` minor unit, as a fraction: rate × 10^toUnits / 10^fromUnits.
  const perMinorNum = rate.numerator * 10n ** BigInt(toUnits);
  const perMinorDen = rate.denominator * 10n ** BigInt(fromUnits);

  const sellGiven = input.sellAmountMinor !== undefined;
  const buyGiven = input.buyAmountMinor !== undefined;
  if (sellGiven === buyGiven) {
    throw new MoneyError('INVALID_AMOUNT', 'Give exactly one of sellAmountMinor and buyAmountMinor');
  }

  let sell: bigint;
  let buy: bigint;
  if (sellGiven) {
    sell = positive(input.sellAmountMinor, 'sellAmountMinor');
    buy = divideRounded(sell * perMinorNum, perMinorDen, 'FLOOR'); // what the customer receives: down
    if (buy === 0n) {
      throw new MoneyError('INVALID_AMOUNT', `The sell amount is too small to buy one minor unit of ${to}`);
    }
  } else {
    buy = positive(input.buyAmountMinor, 'buyAmountMinor');
    sell = divideRounded(buy * perMinorDen, perMinorNum, 'CEILING'); // what the customer pays: up
  }
  const spread = divideRounded(sell * BigInt(spreadBps), BPS, 'CEILING');

  return Object.freeze({
    from,
    to,
    fixedSide: sellGiven ? 'SELL' : 'BUY',
    sellAmount: money(sell, from),
    buyAmount: money(buy, to),
    spreadAmount: money(spread, from),
    midRate,
    rate: formatRate(rate, CUSTOMER_RATE_SCALE),
    customerRate: rate,
    spreadBps,
  });
}

function checkedSpread(spreadBps: number): bigint {
  if (!Number.isSafeInteger(spreadBps) || spreadBps < 0 || spreadBps > MAX_SPREAD_BPS) {
    throw new MoneyError('INVALID_RATE', `spreadBps must be a whole number from 0 to ${MAX_SPREAD_BPS}`);
  }
  return BigInt(spreadBps);
}

function positive(value: unknown, name: string): bigint {
  if (typeof value !== 'bigint' || value <= 0n) {
    throw new MoneyError('INVALID_AMOUNT', `${name} must be a positive bigint of minor units`);
  }
  return value;
}

function reduce(numerator: bigint, denominator: bigint): Rate {
  const divisor = gcd(numerator, denominator);
  return Object.freeze({ numerator: numerator / divisor, denominator: denominator / divisor });
}

function gcd(a: bigint, b: bigint): bigint {
  let x = a < 0n ? -a : a;
  let y = b < 0n ? -b : b;
  while (y !== 0n) [x, y] = [y, x % y];
  return x === 0n ? 1n : x;
}
