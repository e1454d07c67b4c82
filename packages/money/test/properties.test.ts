import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import {
  add,
  allocate,
  CURRENCIES,
  divideRounded,
  formatMoney,
  formatMoneyLocale,
  money,
  multiplyByRate,
  parseMinorUnits,
  parseMoney,
  ROUNDING_MODES,
  splitEvenly,
  subtract,
  type RoundingMode,
} from '../src/index';

const LIMIT = 10n ** 40n;
const amountArb = fc.oneof(fc.bigInt({ min: -1000n, max: 1000n }), fc.bigInt({ min: -LIMIT, max: LIMIT }));
const currencyArb = fc.constantFrom(...CURRENCIES.map((c) => c.code));
const moneyArb = fc.tuple(amountArb, currencyArb).map(([amount, currency]) => money(amount, currency));
const modeArb = fc.constantFrom(...ROUNDING_MODES);

// A second, deliberately different implementation: floor division first, then adjust, instead of the library's
// truncate-toward-zero-then-adjust. Agreement between the two is the point of the property.
function referenceRound(n: bigint, d: bigint, mode: RoundingMode): bigint {
  if (d < 0n) return referenceRound(-n, -d, mode);
  let floor = n / d;
  if (n % d !== 0n && n < 0n) floor -= 1n;
  const rest = n - floor * d; // 0 <= rest < d
  if (rest === 0n) return floor;
  const ceil = floor + 1n;
  const towardZero = n < 0n ? ceil : floor;
  const awayFromZero = n < 0n ? floor : ceil;
  const twice = 2n * rest;
  switch (mode) {
    case 'FLOOR':
      return floor;
    case 'CEILING':
      return ceil;
    case 'DOWN':
      return towardZero;
    case 'UP':
      return awayFromZero;
    case 'HALF_UP':
      return twice < d ? floor : twice > d ? ceil : awayFromZero;
    case 'HALF_EVEN':
      return twice < d ? floor : twice > d ? ceil : floor % 2n === 0n ? floor : ceil;
  }
}

// A decimal rate string built from an integer and a scale, e.g. (-12345n, 3) -> "-12.345".
function rateString(unscaled: bigint, scale: number): string {
  const negative = unscaled < 0n;
  const digits = (negative ? -unscaled : unscaled).toString().padStart(scale + 1, '0');
  const text = scale === 0 ? digits : `${digits.slice(0, -scale)}.${digits.slice(-scale)}`;
  return negative && unscaled !== 0n ? `-${text}` : text;
}

describe('properties', () => {
  it('parseMoney(formatMoney(m)) == m for every currency', () => {
    fc.assert(fc.property(moneyArb, (m) => assert.deepEqual(parseMoney(formatMoney(m), m.currency), m)), {
      numRuns: 2000,
    });
  });

  it('parseMoney(formatMoney(m)) == m at every minor-unit scale', () => {
    for (const currency of ['JPY', 'USD', 'BHD', 'CLF']) {
      fc.assert(
        fc.property(amountArb, (amount) => {
          const m = money(amount, currency);
          const text = formatMoney(m);
          assert.match(text, /^-?(0|[1-9][0-9]*)(\.[0-9]+)?$/);
          assert.deepEqual(parseMoney(text, currency), m);
        }),
      );
    }
  });

  it('parseMinorUnits(String(n)) == n', () => {
    fc.assert(fc.property(amountArb, (n) => assert.equal(parseMinorUnits(n.toString()), n)));
  });

  it('allocate: parts sum to the total, zero ratios get zero, parts stay within one unit of their exact share', () => {
    const ratiosArb = fc
      .array(fc.integer({ min: 0, max: 1000 }), { minLength: 1, maxLength: 12 })
      .filter((ratios) => ratios.some((r) => r > 0));
    fc.assert(
      fc.property(moneyArb, ratiosArb, (m, ratios) => {
        const parts = allocate(m, ratios);
        assert.equal(parts.length, ratios.length);
        assert.equal(parts.reduce((acc, p) => acc + p.amount, 0n), m.amount);
        const total = BigInt(ratios.reduce((a, b) => a + b, 0));
        parts.forEach((part, i) => {
          const ratio = BigInt(ratios[i]!);
          assert.equal(part.currency, m.currency);
          if (ratio === 0n) assert.equal(part.amount, 0n);
          // |part * total - amount * ratio| <= total: the part is within one unit of its exact share.
          // Not strictly: the remainder goes one unit at a time from the first non-zero part (Fowler,
          // Dinero.js), so a part whose exact share is whole can still get one extra unit (found by
          // fast-check: 425 AED over [122, 28, 155] gives 171, 39, 215 for exact 170, 39.02, 215.98).
          const error = part.amount * total - m.amount * ratio;
          assert.ok((error < 0n ? -error : error) <= total);
        });
      }),
    );
  });

  it('allocate with equal ratios: parts differ by at most one unit, and negation is symmetric', () => {
    fc.assert(
      fc.property(moneyArb, fc.integer({ min: 1, max: 50 }), (m, n) => {
        const parts = splitEvenly(m, n).map((p) => p.amount);
        assert.equal(parts.reduce((a, b) => a + b, 0n), m.amount);
        const min = parts.reduce((a, b) => (b < a ? b : a));
        const max = parts.reduce((a, b) => (b > a ? b : a));
        assert.ok(max - min <= 1n);
        const mirrored = splitEvenly(money(-m.amount, m.currency), n).map((p) => -p.amount);
        assert.deepEqual(mirrored, parts);
      }),
    );
  });

  it('subtract undoes add and add undoes subtract', () => {
    fc.assert(
      fc.property(currencyArb, amountArb, amountArb, (currency, a, b) => {
        const x = money(a, currency);
        const y = money(b, currency);
        assert.deepEqual(subtract(add(x, y), y), x);
        assert.deepEqual(add(subtract(x, y), y), x);
      }),
    );
  });

  it('multiplyByRate with rate "1" (at any written scale) is the identity', () => {
    fc.assert(
      fc.property(moneyArb, modeArb, fc.integer({ min: 0, max: 30 }), (m, mode, zeros) => {
        const rate = zeros === 0 ? '1' : `1.${'0'.repeat(zeros)}`;
        assert.deepEqual(multiplyByRate(m, rate, mode), m);
      }),
    );
  });

  it('HALF_EVEN (and every other mode) matches a reference implementation', () => {
    const nonZero = fc.oneof(fc.bigInt({ min: -1000n, max: 1000n }), fc.bigInt({ min: -LIMIT, max: LIMIT })).filter((d) => d !== 0n);
    fc.assert(
      fc.property(amountArb, nonZero, (n, d) => {
        assert.equal(divideRounded(n, d, 'HALF_EVEN'), referenceRound(n, d, 'HALF_EVEN'));
      }),
      { numRuns: 2000 },
    );
    // Exact ties are rare for random pairs, so also force them: (2k+1) / 2 and friends.
    fc.assert(
      fc.property(fc.bigInt({ min: -LIMIT, max: LIMIT }), fc.bigInt({ min: 1n, max: 10n ** 6n }), modeArb, (k, half, mode) => {
        const d = 2n * half;
        const n = k * d + half;
        assert.equal(divideRounded(n, d, mode), referenceRound(n, d, mode));
        assert.equal(divideRounded(n, -d, mode), referenceRound(n, -d, mode));
      }),
    );
    fc.assert(
      fc.property(moneyArb, fc.bigInt({ min: -(10n ** 12n), max: 10n ** 12n }), fc.integer({ min: 0, max: 12 }), modeArb, (m, unscaled, scale, mode) => {
        const expected = referenceRound(m.amount * unscaled, 10n ** BigInt(scale), mode);
        assert.equal(multiplyByRate(m, rateString(unscaled, scale), mode).amount, expected);
      }),
      { numRuns: 2000 },
    );
  });

  it('FLOOR <= exact <= CEILING, one unit apart at most', () => {
    fc.assert(
      fc.property(amountArb, fc.bigInt({ min: 1n, max: LIMIT }), (n, d) => {
        const floor = divideRounded(n, d, 'FLOOR');
        const ceil = divideRounded(n, d, 'CEILING');
        assert.ok(floor * d <= n && n <= ceil * d);
        assert.ok(ceil - floor <= 1n);
      }),
    );
  });

  it('formatting never uses exponent notation, even for 10^30 and beyond', () => {
    const hugeArb = fc
      .tuple(fc.integer({ min: 20, max: 60 }), fc.bigInt({ min: -(10n ** 60n), max: 10n ** 60n }), currencyArb)
      .map(([power, offset, currency]) => money((offset < 0n ? -1n : 1n) * 10n ** BigInt(power) + offset, currency));
    fc.assert(
      fc.property(hugeArb, (m) => {
        const plain = formatMoney(m);
        assert.doesNotMatch(plain, /e/i);
        for (const locale of ['en-US', 'pt-BR', 'de-DE']) {
          const text = formatMoneyLocale(m, locale, { currencyDisplay: 'code' });
          assert.doesNotMatch(text.replace(m.currency, ''), /e/i);
          // Every digit survives: Intl got a string, not a float.
          assert.equal(text.replace(/[^0-9]/g, ''), plain.replace(/[^0-9]/g, ''));
        }
      }),
    );
    const tenTo30 = money(10n ** 30n, 'USD');
    assert.equal(formatMoney(tenTo30), `1${'0'.repeat(28)}.00`);
    assert.doesNotMatch(formatMoneyLocale(tenTo30, 'pt-BR'), /e/i);
  });
});
