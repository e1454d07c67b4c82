import { DomainError } from '@baas/errors';
import { getCurrency, isCurrencyCode } from '@baas/money';
import { formatRate, MAX_MID_RATE_SCALE, parseRate, type Rate } from './fx';

/** A mid-market rate: major units of `to` per major unit of `from`, a plain positive decimal string. */
export type MidRate = { midRate: string; asOf: Date };

/** Where mid-market rates come from (the built-in table from FX_MID_RATES, or a market data feed). */
export type RateProvider = (from: string, to: string) => Promise<MidRate>;

/** A pair the provider has no rate for: the customer asked for a conversion the platform does not offer. */
export function unsupportedPair(from: string, to: string): DomainError {
  return new DomainError('CURRENCY_MISMATCH', `No exchange rate is offered for ${from}/${to}.`, { reason: 'UNSUPPORTED_CURRENCY_PAIR', pair: `${from}/${to}` });
}

/** An exact rational as a decimal string with at most MAX_MID_RATE_SCALE digits (rounded down), trailing zeros trimmed. */
function toDecimal(rate: Rate): string {
  const text = formatRate(rate, MAX_MID_RATE_SCALE, 'DOWN');
  return text.includes('.') ? text.replace(/0+$/, '').replace(/\.$/, '') : text;
}

/**
 * Parses "USD/BRL=5.4321,EUR/BRL=5.9012" into a table of pairs. Each given pair is kept as written; its inverse
 * (BRL/USD) is derived from the exact rational 1 / rate and written with MAX_MID_RATE_SCALE fraction digits,
 * rounded down (the quote engine takes decimal strings; rounding the mid rate down only ever lowers what the
 * customer gets, by less than 10^-12 per unit). A pair given explicitly wins over a derived inverse.
 * Throws on a malformed table (a configuration error, found at start-up).
 */
export function parseMidRates(text: string): Map<string, string> {
  const given = new Map<string, string>();
  for (const part of text.split(',').map((p) => p.trim()).filter(Boolean)) {
    const match = /^([A-Za-z]{3})\/([A-Za-z]{3})=(.+)$/.exec(part);
    if (!match) throw new Error(`FX_MID_RATES: "${part}" is not FROM/TO=RATE`);
    const from = match[1]!.toUpperCase();
    const to = match[2]!.toUpperCase();
    if (!isCurrencyCode(from) || !isCurrencyCode(to) || from === to) throw new Error(`FX_MID_RATES: "${part}" is not a pair of two ISO 4217 currencies`);
    getCurrency(from);
    parseRate(match[3]!); // validates
    given.set(`${from}/${to}`, match[3]!);
  }
  const table = new Map(given);
  for (const [pair, rate] of given) {
    const [from, to] = pair.split('/') as [string, string];
    const inverse = `${to}/${from}`;
    if (table.has(inverse)) continue;
    const r = parseRate(rate);
    const inverted = toDecimal({ numerator: r.denominator, denominator: r.numerator });
    if (/^0(\.0*)?$/.test(inverted)) throw new Error(`FX_MID_RATES: the inverse of ${pair} is below 10^-${MAX_MID_RATE_SCALE}`);
    table.set(inverse, inverted);
  }
  return table;
}

/** The built-in provider: a fixed table from FX_MID_RATES (asOf = when the table was loaded). */
export function createStaticRateProvider(midRates: string, asOf = new Date()): RateProvider {
  const table = parseMidRates(midRates);
  return async (from, to) => {
    const rate = table.get(`${from.toUpperCase()}/${to.toUpperCase()}`);
    if (rate === undefined) throw unsupportedPair(from, to);
    return { midRate: rate, asOf };
  };
}
