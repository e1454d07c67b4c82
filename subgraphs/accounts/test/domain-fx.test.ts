import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { getCurrency, isMoneyError, money, multiplyByRate, type MoneyErrorCode } from '@baas/money';
import { CUSTOMER_RATE_SCALE, customerRate, formatRate, parseRate, quote, type FxQuoteInput } from '../src/domain/index';

const code = (expected: MoneyErrorCode) => (error: unknown) => isMoneyError(error, expected);
const pow10 = (n: number) => 10n ** BigInt(n);
const units = (c: string) => getCurrency(c).minorUnits;

/** Moves a decimal string's point `shift` places (right when positive); an independent way to change exponents. */
function shiftDecimal(rate: string, shift: number): string {
  const [integer = '', fraction = ''] = rate.split('.');
  let digits = integer + fraction;
  let point = integer.length + shift;
  if (point <= 0) {
    digits = '0'.repeat(1 - point) + digits;
    point = 1;
  }
  if (point > digits.length) digits = digits.padEnd(point, '0');
  const intPart = digits.slice(0, point).replace(/^0+(?=.)/, '');
  const fracPart = digits.slice(point);
  return fracPart === '' ? intPart : `${intPart}.${fracPart}`;
}

/** Mid-rate conversion with floor rounding, computed through @baas/money's multiplyByRate. */
function midFloor(sell: bigint, from: string, to: string, midRate: string): bigint {
  return multiplyByRate(money(sell, from), shiftDecimal(midRate, units(to) - units(from)), 'FLOOR').amount;
}

const CURRENCIES = ['BRL', 'USD', 'JPY', 'KWD', 'CLF', 'EUR', 'CLP', 'BHD'] as const;
const currencyArb = fc.constantFrom(...CURRENCIES);
// Rates from 0.000000000001 to about 10^6, always with at most 12 fraction digits.
const rateArb = fc
  .tuple(fc.bigInt({ min: 1n, max: 10n ** 18n }), fc.integer({ min: 0, max: 12 }))
  .map(([unscaled, scale]) => {
    const digits = unscaled.toString().padStart(scale + 1, '0');
    const text = scale === 0 ? digits : `${digits.slice(0, -scale)}.${digits.slice(-scale)}`;
    return text;
  });
const bpsArb = fc.oneof(fc.constant(0), fc.integer({ min: 0, max: 300 }), fc.integer({ min: 0, max: 9999 }));
const amountArb = fc.oneof(fc.bigInt({ min: 1n, max: 10_000n }), fc.bigInt({ min: 1n, max: 10n ** 15n }));

/** quote(), or undefined when the sell amount is too small to buy one unit (a documented refusal). */
function tryQuote(input: FxQuoteInput) {
  try {
    return quote(input);
  } catch (error) {
    if (isMoneyError(error, 'INVALID_AMOUNT') && input.sellAmountMinor !== undefined) return undefined;
    throw error;
  }
}

describe('parseRate / formatRate / customerRate', () => {
  it('parses exact decimals into reduced fractions', () => {
    assert.deepEqual(parseRate('5.4321'), { numerator: 54321n, denominator: 10000n });
    assert.deepEqual(parseRate('2.50'), { numerator: 5n, denominator: 2n });
    assert.deepEqual(parseRate('150'), { numerator: 150n, denominator: 1n });
    assert.deepEqual(parseRate('0.000000000001'), { numerator: 1n, denominator: 10n ** 12n });
  });

  it('rejects anything but a positive plain decimal with at most 12 fraction digits', () => {
    for (const bad of ['', '0', '0.000', '-1', '+1', '.5', '1.', '01.5', '5,4321', '1e3', ' 5.4', '5.4 ', 'NaN', '0.0000000000001', '1'.repeat(41)]) {
      assert.throws(() => parseRate(bad), code('INVALID_RATE'), JSON.stringify(bad));
    }
    assert.throws(() => parseRate(5.4321 as unknown as string), code('INVALID_RATE'));
  });

  it('formats with a fixed scale, rounding down by default', () => {
    assert.equal(formatRate(parseRate('5.4321'), 6), '5.432100');
    assert.equal(formatRate({ numerator: 2n, denominator: 3n }, 4), '0.6666');
    assert.equal(formatRate({ numerator: 2n, denominator: 3n }, 4, 'HALF_EVEN'), '0.6667');
    assert.equal(formatRate({ numerator: 7n, denominator: 1n }, 0), '7');
  });

  it('applies the spread to the rate exactly', () => {
    assert.deepEqual(customerRate('5.4321', 50), parseRate('5.40493950'));
    assert.deepEqual(customerRate('5.4321', 0), parseRate('5.4321'));
    for (const bad of [-1, 10_000, 1.5, Number.NaN, Infinity]) {
      assert.throws(() => customerRate('1', bad), code('INVALID_RATE'), String(bad));
    }
  });
});

describe('quote: known values', () => {
  it('USD -> BRL, sell side fixed', () => {
    const q = quote({ from: 'USD', to: 'BRL', sellAmountMinor: 10_000n, midRate: '5.4321', spreadBps: 50 });
    assert.equal(q.fixedSide, 'SELL');
    assert.deepEqual(q.sellAmount, money(10_000n, 'USD'));
    assert.deepEqual(q.buyAmount, money(54_049n, 'BRL')); // 540.49395 rounded down
    assert.deepEqual(q.spreadAmount, money(50n, 'USD')); // 0.5 % of US$ 100.00
    assert.equal(q.rate, '5.4049395000000000');
    assert.equal(q.rate.split('.')[1]!.length, CUSTOMER_RATE_SCALE);
    assert.equal(q.midRate, '5.4321');

    const atMid = quote({ from: 'USD', to: 'BRL', sellAmountMinor: 10_000n, midRate: '5.4321', spreadBps: 0 });
    assert.equal(atMid.buyAmount.amount, 54_321n);
    assert.equal(atMid.spreadAmount.amount, 0n);
  });

  it('USD -> BRL, buy side fixed: the customer pays the rounding', () => {
    const q = quote({ from: 'USD', to: 'BRL', buyAmountMinor: 100_000n, midRate: '5.4321', spreadBps: 50 });
    assert.equal(q.fixedSide, 'BUY');
    assert.equal(q.buyAmount.amount, 100_000n); // exactly what was asked for
    assert.equal(q.sellAmount.amount, 18_502n); // 1000 / 5.4049395 = 185.0160... -> US$ 185.02
    assert.equal(q.spreadAmount.amount, 93n); // 0.5 % of 185.02 = 0.9251 -> 0.93
  });

  it('converts across exponents 0, 2, 3 and 4', () => {
    // JPY (0) -> USD (2): ¥1000 at 0.0067 = US$ 6.70.
    assert.equal(quote({ from: 'JPY', to: 'USD', sellAmountMinor: 1000n, midRate: '0.0067', spreadBps: 0 }).buyAmount.amount, 670n);
    // USD (2) -> JPY (0): US$ 1.00 at 150.25 = ¥150.25 -> ¥150; ¥150 costs ceil(99.83...) = 100 cents.
    assert.equal(quote({ from: 'USD', to: 'JPY', sellAmountMinor: 100n, midRate: '150.25', spreadBps: 0 }).buyAmount.amount, 150n);
    assert.equal(quote({ from: 'USD', to: 'JPY', buyAmountMinor: 150n, midRate: '150.25', spreadBps: 0 }).sellAmount.amount, 100n);
    // KWD (3) -> BRL (2): KD 1.000 at 17.6543 = R$ 17.6543 -> R$ 17.65.
    assert.equal(quote({ from: 'KWD', to: 'BRL', sellAmountMinor: 1000n, midRate: '17.6543', spreadBps: 0 }).buyAmount.amount, 1765n);
    // BRL (2) -> CLF (4): R$ 100.00 at 0.005213 = 0.5213 CLF, exact.
    assert.equal(quote({ from: 'BRL', to: 'CLF', sellAmountMinor: 10_000n, midRate: '0.005213', spreadBps: 0 }).buyAmount.amount, 5213n);
    // CLF (4) -> KWD (3): 1.0000 CLF at 12.3456789 KWD -> 12.345 KWD.
    assert.equal(quote({ from: 'CLF', to: 'KWD', sellAmountMinor: 10_000n, midRate: '12.3456789', spreadBps: 0 }).buyAmount.amount, 12_345n);
  });

  it('refuses a sell amount that buys nothing', () => {
    // ¥1 at 0.0067 is 0.67 cents.
    assert.throws(() => quote({ from: 'JPY', to: 'USD', sellAmountMinor: 1n, midRate: '0.0067', spreadBps: 0 }), code('INVALID_AMOUNT'));
  });

  it('validates its input', () => {
    const base = { from: 'USD', to: 'BRL', midRate: '5.4321', spreadBps: 10 };
    assert.throws(() => quote(base), code('INVALID_AMOUNT'));
    assert.throws(() => quote({ ...base, sellAmountMinor: 1n, buyAmountMinor: 1n }), code('INVALID_AMOUNT'));
    for (const bad of [0n, -5n, 5 as unknown as bigint]) {
      assert.throws(() => quote({ ...base, sellAmountMinor: bad }), code('INVALID_AMOUNT'), String(bad));
      assert.throws(() => quote({ ...base, buyAmountMinor: bad }), code('INVALID_AMOUNT'), String(bad));
    }
    assert.throws(() => quote({ ...base, from: 'usd', sellAmountMinor: 1n }), code('UNKNOWN_CURRENCY'));
    assert.throws(() => quote({ ...base, to: 'XAU', sellAmountMinor: 1n }), code('UNKNOWN_CURRENCY'));
    assert.throws(() => quote({ ...base, midRate: '5.4321e0', sellAmountMinor: 1n }), code('INVALID_RATE'));
    assert.throws(() => quote({ ...base, spreadBps: -1, sellAmountMinor: 1n }), code('INVALID_RATE'));
  });
});

describe('quote: properties', () => {
  const sellCase = fc.record({ from: currencyArb, to: currencyArb, sell: amountArb, midRate: rateArb, bps: bpsArb });
  const buyCase = fc.record({ from: currencyArb, to: currencyArb, buy: amountArb, midRate: rateArb, bps: bpsArb });

  it('creates no minor unit: buy × (1 / mid) never exceeds the sell amount, on either side', () => {
    const check = (q: ReturnType<typeof quote>, midRate: string) => {
      const mid = parseRate(midRate);
      // buy / 10^to <= sell / 10^from × mid
      assert.ok(q.buyAmount.amount * mid.denominator * pow10(units(q.from)) <= q.sellAmount.amount * mid.numerator * pow10(units(q.to)));
      assert.ok(q.buyAmount.amount <= midFloor(q.sellAmount.amount, q.from, q.to, midRate));
    };
    fc.assert(
      fc.property(sellCase, ({ from, to, sell, midRate, bps }) => {
        const q = tryQuote({ from, to, sellAmountMinor: sell, midRate, spreadBps: bps });
        if (q !== undefined) check(q, midRate);
      }),
      { numRuns: 1000 },
    );
    fc.assert(
      fc.property(buyCase, ({ from, to, buy, midRate, bps }) => check(quote({ from, to, buyAmountMinor: buy, midRate, spreadBps: bps }), midRate)),
      { numRuns: 1000 },
    );
  });

  it('rounds once and only as far as needed: floor on the sell side, ceiling on the buy side', () => {
    fc.assert(
      fc.property(sellCase, ({ from, to, sell, midRate, bps }) => {
        const q = tryQuote({ from, to, sellAmountMinor: sell, midRate, spreadBps: bps });
        if (q === undefined) return;
        const r = q.customerRate;
        const lhs = (buy: bigint) => buy * r.denominator * pow10(units(from));
        const rhs = sell * r.numerator * pow10(units(to));
        assert.ok(lhs(q.buyAmount.amount) <= rhs && lhs(q.buyAmount.amount + 1n) > rhs);
      }),
      { numRuns: 500 },
    );
    fc.assert(
      fc.property(buyCase, ({ from, to, buy, midRate, bps }) => {
        const q = quote({ from, to, buyAmountMinor: buy, midRate, spreadBps: bps });
        const r = q.customerRate;
        const value = (sell: bigint) => sell * r.numerator * pow10(units(to));
        const needed = buy * r.denominator * pow10(units(from));
        assert.ok(value(q.sellAmount.amount) >= needed && value(q.sellAmount.amount - 1n) < needed);
      }),
      { numRuns: 500 },
    );
  });

  it('is monotonic in the amount and in the spread', () => {
    fc.assert(
      fc.property(sellCase, amountArb, fc.integer({ min: 0, max: 9999 }), ({ from, to, sell, midRate, bps }, extra, bps2) => {
        const a = tryQuote({ from, to, sellAmountMinor: sell, midRate, spreadBps: bps });
        const b = tryQuote({ from, to, sellAmountMinor: sell + extra, midRate, spreadBps: bps });
        if (a !== undefined) assert.ok(b !== undefined && b.buyAmount.amount >= a.buyAmount.amount);
        const [lo, hi] = bps <= bps2 ? [bps, bps2] : [bps2, bps];
        const cheap = tryQuote({ from, to, sellAmountMinor: sell, midRate, spreadBps: lo });
        const dear = tryQuote({ from, to, sellAmountMinor: sell, midRate, spreadBps: hi });
        if (dear !== undefined) assert.ok(cheap !== undefined && dear.buyAmount.amount <= cheap.buyAmount.amount);
      }),
      { numRuns: 500 },
    );
    fc.assert(
      fc.property(buyCase, amountArb, fc.integer({ min: 0, max: 9999 }), ({ from, to, buy, midRate, bps }, extra, bps2) => {
        const a = quote({ from, to, buyAmountMinor: buy, midRate, spreadBps: bps });
        const b = quote({ from, to, buyAmountMinor: buy + extra, midRate, spreadBps: bps });
        assert.ok(b.sellAmount.amount >= a.sellAmount.amount);
        const [lo, hi] = bps <= bps2 ? [bps, bps2] : [bps2, bps];
        const cheap = quote({ from, to, buyAmountMinor: buy, midRate, spreadBps: lo });
        const dear = quote({ from, to, buyAmountMinor: buy, midRate, spreadBps: hi });
        assert.ok(dear.sellAmount.amount >= cheap.sellAmount.amount);
      }),
      { numRuns: 500 },
    );
  });

  it('has a non-negative spread, and zero spread is the mid-rate conversion rounded down', () => {
    fc.assert(
      fc.property(sellCase, ({ from, to, sell, midRate, bps }) => {
        const q = tryQuote({ from, to, sellAmountMinor: sell, midRate, spreadBps: bps });
        if (q !== undefined) {
          assert.ok(q.spreadAmount.amount >= 0n && q.spreadAmount.amount <= q.sellAmount.amount);
          assert.equal(q.spreadAmount.currency, from);
        }
        const atMid = tryQuote({ from, to, sellAmountMinor: sell, midRate, spreadBps: 0 });
        const expected = midFloor(sell, from, to, midRate);
        if (atMid === undefined) {
          assert.equal(expected, 0n);
        } else {
          assert.equal(atMid.buyAmount.amount, expected);
          assert.equal(atMid.spreadAmount.amount, 0n);
          assert.deepEqual(atMid.customerRate, parseRate(midRate));
        }
      }),
      { numRuns: 1000 },
    );
  });

  it('reports the exact customer rate at a fixed scale', () => {
    fc.assert(
      fc.property(rateArb, bpsArb, (midRate, bps) => {
        const q = quote({ from: 'USD', to: 'BRL', buyAmountMinor: 1n, midRate, spreadBps: bps });
        const [, fraction = ''] = q.rate.split('.');
        assert.equal(fraction.length, CUSTOMER_RATE_SCALE);
        // The string is the rate, not a rounding of it.
        const unscaled = BigInt(q.rate.replace('.', ''));
        assert.equal(unscaled * q.customerRate.denominator, q.customerRate.numerator * pow10(CUSTOMER_RATE_SCALE));
      }),
    );
  });

  it('buying back what a sell quote delivered never costs more than was sold', () => {
    fc.assert(
      fc.property(sellCase, ({ from, to, sell, midRate, bps }) => {
        const q = tryQuote({ from, to, sellAmountMinor: sell, midRate, spreadBps: bps });
        if (q === undefined) return;
        const back = quote({ from, to, buyAmountMinor: q.buyAmount.amount, midRate, spreadBps: bps });
        assert.ok(back.sellAmount.amount <= sell);
      }),
      { numRuns: 500 },
    );
  });

  it('is exact for identical currencies at rate 1, and for rate 1 towards more minor digits', () => {
    fc.assert(
      fc.property(currencyArb, amountArb, fc.constantFrom('1', '1.0', '1.000000000000'), (currency, amount, one) => {
        const sold = quote({ from: currency, to: currency, sellAmountMinor: amount, midRate: one, spreadBps: 0 });
        assert.equal(sold.buyAmount.amount, amount);
        const bought = quote({ from: currency, to: currency, buyAmountMinor: amount, midRate: one, spreadBps: 0 });
        assert.equal(bought.sellAmount.amount, amount);
      }),
    );
    fc.assert(
      fc.property(currencyArb, currencyArb, amountArb, (a, b, amount) => {
        const [from, to] = units(a) <= units(b) ? [a, b] : [b, a];
        const q = quote({ from, to, sellAmountMinor: amount, midRate: '1', spreadBps: 0 });
        assert.equal(q.buyAmount.amount, amount * pow10(units(to) - units(from)));
        assert.equal(quote({ from, to, buyAmountMinor: q.buyAmount.amount, midRate: '1', spreadBps: 0 }).sellAmount.amount, amount);
      }),
    );
  });
});
