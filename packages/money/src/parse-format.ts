import { getCurrency } from './currencies';
import { parseDecimal, powerOfTen, quote } from './decimal';
import { MoneyError } from './errors';
import { assertMoney, money, type Money } from './money';

const MINOR_UNITS = /^-?(0|[1-9][0-9]*)$/;

/**
 * Parses a plain decimal string into Money, exactly: "1234.56", "-0.5", "10". The grammar is optional "-",
 * an integer part with no superfluous leading zeros, and an optional "." followed by 1..minorUnits digits.
 * Rejected with INVALID_AMOUNT: "", " 1", "+1", "1.", ".5", "01", "1e3", "1,000.00", and more fraction digits
 * than the currency has, even trailing zeros ("1.000" in USD), since that precision claim cannot be kept.
 * "-0" and "-0.00" are accepted and give zero.
 */
export function parseMoney(decimal: string, currency: string): Money {
  const { minorUnits } = getCurrency(currency);
  const parsed = parseDecimal(decimal);
  if (parsed === undefined) {
    throw new MoneyError('INVALID_AMOUNT', `Not a plain decimal amount: ${quote(decimal)}`);
  }
  if (parsed.scale > minorUnits) {
    throw new MoneyError(
      'INVALID_AMOUNT',
      `${quote(decimal)} has ${parsed.scale} fraction digits but ${currency} allows ${minorUnits}`,
    );
  }
  return money(parsed.unscaled * powerOfTen(minorUnits - parsed.scale), currency);
}

/**
 * Formats Money as a plain decimal with exactly the currency's minor digits ("1234.56", "-0.05", "100" for JPY):
 * no grouping, no symbol, never exponent notation. parseMoney(formatMoney(m), m.currency) equals m.
 */
export function formatMoney(m: Money): string {
  assertMoney(m);
  const { minorUnits } = getCurrency(m.currency);
  const negative = m.amount < 0n;
  const digits = (negative ? -m.amount : m.amount).toString();
  const sign = negative ? '-' : '';
  if (minorUnits === 0) return sign + digits;
  const padded = digits.padStart(minorUnits + 1, '0');
  return `${sign}${padded.slice(0, -minorUnits)}.${padded.slice(-minorUnits)}`;
}

/** How formatMoneyLocale names the currency; the Intl.NumberFormat option of the same name. */
export type CurrencyDisplay = 'symbol' | 'narrowSymbol' | 'code' | 'name';

/**
 * Formats Money for humans with Intl.NumberFormat, e.g. "R$ 1.234,56" for pt-BR (the space is a no-break space).
 * The amount goes to Intl as a decimal string, which Node 20 formats exactly, so huge amounts never lose digits.
 * Fraction digits are pinned to ISO 4217 because CLDR's display digits differ for some currencies (IQD, RSD...).
 * Throws INVALID_LOCALE for a malformed locale tag.
 */
export function formatMoneyLocale(m: Money, locale: string, options?: { currencyDisplay?: CurrencyDisplay }): string {
  const text = formatMoney(m) as `${number}`;
  return numberFormat(locale, m.currency, options?.currencyDisplay ?? 'symbol').format(text);
}

/**
 * Parses a minor-unit integer string such as "123456" or "-5" (GraphQL carries bigint amounts as strings).
 * Strict: ASCII digits, optional "-", no "+", no whitespace, no leading zeros, no exponent, no fraction.
 * "-0" is accepted and gives 0n. Throws INVALID_AMOUNT otherwise.
 */
export function parseMinorUnits(s: string): bigint {
  if (typeof s !== 'string' || !MINOR_UNITS.test(s)) {
    throw new MoneyError('INVALID_AMOUNT', `Not a minor-unit integer string: ${quote(s)}`);
  }
  return BigInt(s);
}

// Building an Intl.NumberFormat costs far more than using one, so formatters are reused. The locale can come
// from a request header, so the cache is bounded and simply starts over when full.
const FORMATTERS = new Map<string, Intl.NumberFormat>();
const MAX_FORMATTERS = 256;

function numberFormat(locale: string, currency: string, currencyDisplay: CurrencyDisplay): Intl.NumberFormat {
  const key = `${locale}\u0000${currency}\u0000${currencyDisplay}`;
  const cached = FORMATTERS.get(key);
  if (cached !== undefined) return cached;
  const { minorUnits } = getCurrency(currency);
  let formatter: Intl.NumberFormat;
  try {
    if (typeof locale !== 'string') throw new TypeError('locale must be a string');
    formatter = new Intl.NumberFormat(locale, {
      style: 'currency',
      currency,
      currencyDisplay,
      minimumFractionDigits: minorUnits,
      maximumFractionDigits: minorUnits,
    });
  } catch (cause) {
    throw new MoneyError('INVALID_LOCALE', `Cannot format for locale ${quote(locale)} with currencyDisplay ${quote(currencyDisplay)}`, { cause });
  }
  if (FORMATTERS.size >= MAX_FORMATTERS) FORMATTERS.clear();
  FORMATTERS.set(key, formatter);
  return formatter;
}
