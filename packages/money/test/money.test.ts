import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import {
  abs,
  add,
  compare,
  divide,
  divideRounded,
  equals,
  isMoney,
  isMoneyError,
  isNegative,
  isPositive,
  isZero,
  money,
  multiply,
  multiplyByRate,
  negate,
  ROUNDING_MODES,
  subtract,
  sum,
  zero,
  type Money,
  type MoneyErrorCode,
  type RoundingMode,
} from '../src/index';

const brl = (amount: bigint) => money(amount, 'BRL');
const usd = (amount: bigint) => money(amount, 'USD');
const code = (expected: MoneyErrorCode) => (error: unknown) => isMoneyError(error, expected);

describe('money', () => {
  it('creates frozen values and validates its inputs', () => {
    const m = brl(123456n);
    assert.deepEqual(m, { amount: 123456n, currency: 'BRL' });
    assert.ok(Object.isFrozen(m));
    assert.deepEqual(zero('JPY'), { amount: 0n, currency: 'JPY' });
    assert.throws(() => money(1n, 'XYZ'), code('UNKNOWN_CURRENCY'));
    assert.throws(() => money(12.34 as unknown as bigint, 'BRL'), code('INVALID_AMOUNT'));
    assert.throws(() => money('1' as unknown as bigint, 'BRL'), code('INVALID_AMOUNT'));
    assert.equal(isMoney(m), true);
    assert.equal(isMoney({ amount: 1, currency: 'BRL' }), false);
    assert.equal(isMoney({ amount: 1n, currency: 'XYZ' }), false);
    assert.equal(isMoney(null), false);
  });

  it('adds, subtracts, negates', () => {
    assert.deepEqual(add(brl(150n), brl(-200n)), brl(-50n));
    assert.deepEqual(subtract(brl(150n), brl(200n)), brl(-50n));
    assert.deepEqual(negate(brl(150n)), brl(-150n));
    assert.deepEqual(negate(brl(0n)), brl(0n));
    assert.deepEqual(abs(brl(-7n)), brl(7n));
    assert.deepEqual(sum([brl(1n), brl(2n), brl(3n)], 'BRL'), brl(6n));
    assert.deepEqual(sum([], 'BRL'), brl(0n));
    const huge = 10n ** 40n;
    assert.deepEqual(add(brl(huge), brl(huge)), brl(2n * huge));
  });

  it('compares', () => {
    assert.equal(compare(brl(1n), brl(2n)), -1);
    assert.equal(compare(brl(2n), brl(2n)), 0);
    assert.equal(compare(brl(3n), brl(2n)), 1);
    assert.equal(equals(brl(2n), brl(2n)), true);
    assert.equal(equals(brl(2n), brl(3n)), false);
    assert.equal(isZero(brl(0n)), true);
    assert.equal(isZero(brl(1n)), false);
    assert.equal(isNegative(brl(-1n)), true);
    assert.equal(isNegative(brl(0n)), false);
    assert.equal(isPositive(brl(1n)), true);
    assert.equal(isPositive(brl(0n)), false);
  });

  it('throws CURRENCY_MISMATCH across currencies', () => {
    assert.throws(() => add(brl(1n), usd(1n)), code('CURRENCY_MISMATCH'));
    assert.throws(() => subtract(brl(1n), usd(1n)), code('CURRENCY_MISMATCH'));
    assert.throws(() => compare(brl(1n), usd(1n)), code('CURRENCY_MISMATCH'));
    assert.throws(() => equals(brl(1n), usd(1n)), code('CURRENCY_MISMATCH'));
    assert.throws(() => sum([brl(1n), usd(1n)], 'BRL'), code('CURRENCY_MISMATCH'));
  });

  it('validates structurally typed inputs', () => {
    const forged = { amount: 1n, currency: 'XYZ' } as Money;
    assert.throws(() => negate(forged), code('UNKNOWN_CURRENCY'));
    assert.throws(() => isZero({ amount: 1, currency: 'BRL' } as unknown as Money), code('INVALID_AMOUNT'));
  });

  it('multiplies by an integer', () => {
    assert.deepEqual(multiply(brl(1999n), 3n), brl(5997n));
    assert.deepEqual(multiply(brl(1999n), -2n), brl(-3998n));
    assert.throws(() => multiply(brl(1n), 1.5 as unknown as bigint), code('INVALID_AMOUNT'));
  });

  it('multiplies by a decimal rate exactly', () => {
    assert.deepEqual(multiplyByRate(usd(10000n), '5.4321', 'HALF_EVEN'), usd(54321n));
    // 123.50 * 0.01 = 1.235, a tie at the minor unit
    assert.deepEqual(multiplyByRate(usd(12350n), '0.01', 'HALF_EVEN'), usd(124n));
    assert.deepEqual(multiplyByRate(usd(12250n), '0.01', 'HALF_EVEN'), usd(122n));
    assert.deepEqual(multiplyByRate(usd(12250n), '0.01', 'HALF_UP'), usd(123n));
    assert.deepEqual(multiplyByRate(usd(12250n), '0.01', 'DOWN'), usd(122n));
    // 0.1 + 0.2 style float traps do not exist here
    assert.deepEqual(multiplyByRate(usd(3n), '0.1', 'UP'), usd(1n));
    assert.deepEqual(multiplyByRate(usd(10n ** 30n), '1.0000000000000000000000000001', 'DOWN'), usd(10n ** 30n + 100n));
    assert.deepEqual(multiplyByRate(usd(-100n), '-1', 'HALF_EVEN'), usd(100n));
    assert.deepEqual(multiplyByRate(usd(100n), '0', 'HALF_EVEN'), usd(0n));
  });

  it('rejects malformed rates and rounding modes', () => {
    for (const rate of ['', '1e3', '1E-2', '+1', '.5', '1.', '1,5', ' 1', '1 ', 'NaN', 'Infinity', '0x10', '01.5', '--1']) {
      assert.throws(() => multiplyByRate(usd(100n), rate, 'HALF_EVEN'), code('INVALID_RATE'), rate);
    }
    assert.throws(() => multiplyByRate(usd(100n), 1.5 as unknown as string, 'HALF_EVEN'), code('INVALID_RATE'));
    assert.throws(
      () => multiplyByRate(usd(100n), '1.5', 'ROUND' as RoundingMode),
      code('INVALID_ROUNDING_MODE'),
    );
  });

  it('rounds like java.math.RoundingMode (its documented table)', () => {
    // input -> results for UP, DOWN, CEILING, FLOOR, HALF_UP, HALF_EVEN
    const table: Array<[string, bigint[]]> = [
      ['5.5', [6n, 5n, 6n, 5n, 6n, 6n]],
      ['2.5', [3n, 2n, 3n, 2n, 3n, 2n]],
      ['1.6', [2n, 1n, 2n, 1n, 2n, 2n]],
      ['1.1', [2n, 1n, 2n, 1n, 1n, 1n]],
      ['1.0', [1n, 1n, 1n, 1n, 1n, 1n]],
      ['-1.0', [-1n, -1n, -1n, -1n, -1n, -1n]],
      ['-1.1', [-2n, -1n, -1n, -2n, -1n, -1n]],
      ['-1.6', [-2n, -1n, -1n, -2n, -2n, -2n]],
      ['-2.5', [-3n, -2n, -2n, -3n, -3n, -2n]],
      ['-5.5', [-6n, -5n, -5n, -6n, -6n, -6n]],
    ];
    const modes: RoundingMode[] = ['UP', 'DOWN', 'CEILING', 'FLOOR', 'HALF_UP', 'HALF_EVEN'];
    for (const [rate, expected] of table) {
      modes.forEach((mode, i) => {
        assert.equal(multiplyByRate(money(1n, 'JPY'), rate, mode).amount, expected[i], `${rate} ${mode}`);
      });
    }
    assert.deepEqual([...ROUNDING_MODES].sort(), [...modes].sort());
  });

  it('divides with rounding', () => {
    assert.equal(divideRounded(7n, 2n, 'HALF_EVEN'), 4n);
    assert.equal(divideRounded(5n, 2n, 'HALF_EVEN'), 2n);
    assert.equal(divideRounded(5n, -2n, 'HALF_EVEN'), -2n);
    assert.equal(divideRounded(-7n, -2n, 'FLOOR'), 3n);
    assert.equal(divideRounded(7n, -2n, 'FLOOR'), -4n);
    assert.equal(divideRounded(7n, -2n, 'CEILING'), -3n);
    assert.deepEqual(divide(usd(1000n), 3n, 'HALF_EVEN'), usd(333n));
    assert.deepEqual(divide(usd(1000n), 3n, 'CEILING'), usd(334n));
    assert.throws(() => divide(usd(1n), 0n, 'HALF_EVEN'), code('DIVISION_BY_ZERO'));
  });
});
