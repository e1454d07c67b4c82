import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { allocate, isMoneyError, money, splitEvenly, type MoneyErrorCode } from '../src/index';

const code = (expected: MoneyErrorCode) => (error: unknown) => isMoneyError(error, expected);
const amounts = (parts: ReadonlyArray<{ amount: bigint }>) => parts.map((p) => p.amount);

describe('allocate', () => {
  it('splits by ratios and hands the leftover to the first parts', () => {
    assert.deepEqual(amounts(allocate(money(100n, 'USD'), [1, 1, 1])), [34n, 33n, 33n]);
    // Fowler's example: 5 cents split 30/70 gives 2 and 3 cents.
    assert.deepEqual(amounts(allocate(money(5n, 'USD'), [3, 7])), [2n, 3n]);
    assert.deepEqual(amounts(allocate(money(5n, 'USD'), [70, 30])), [4n, 1n]);
    assert.deepEqual(amounts(allocate(money(1003n, 'USD'), [50n, 50n])), [502n, 501n]);
    assert.deepEqual(amounts(allocate(money(0n, 'USD'), [1, 2])), [0n, 0n]);
    assert.deepEqual(amounts(allocate(money(7n, 'JPY'), [1])), [7n]);
  });

  it('never gives anything to a zero ratio', () => {
    assert.deepEqual(amounts(allocate(money(3n, 'USD'), [0, 1, 1])), [0n, 2n, 1n]);
    assert.deepEqual(amounts(allocate(money(2n, 'USD'), [0, 1, 0, 1, 1])), [0n, 1n, 0n, 1n, 0n]);
  });

  it('handles negative totals symmetrically', () => {
    assert.deepEqual(amounts(allocate(money(-100n, 'USD'), [1, 1, 1])), [-34n, -33n, -33n]);
    assert.deepEqual(amounts(allocate(money(-5n, 'USD'), [3, 7])), [-2n, -3n]);
  });

  it('keeps the currency', () => {
    for (const part of allocate(money(1000n, 'BHD'), [1, 2])) assert.equal(part.currency, 'BHD');
  });

  it('rejects bad ratios with INVALID_ALLOCATION', () => {
    const m = money(100n, 'USD');
    for (const ratios of [[], [0], [0, 0], [-1, 2], [1.5], [Number.NaN], [Infinity], [2 ** 53]] as number[][]) {
      assert.throws(() => allocate(m, ratios), code('INVALID_ALLOCATION'), String(ratios));
    }
    assert.throws(() => allocate(m, [-1n]), code('INVALID_ALLOCATION'));
    assert.throws(() => allocate(m, ['1'] as unknown as number[]), code('INVALID_ALLOCATION'));
  });
});

describe('splitEvenly', () => {
  it('splits into parts that differ by at most one unit, larger first', () => {
    assert.deepEqual(amounts(splitEvenly(money(1001n, 'JPY'), 3)), [334n, 334n, 333n]);
    assert.deepEqual(amounts(splitEvenly(money(-1001n, 'JPY'), 3n)), [-334n, -334n, -333n]);
    assert.deepEqual(amounts(splitEvenly(money(2n, 'USD'), 4)), [1n, 1n, 0n, 0n]);
  });

  it('rejects a non-positive or fractional count', () => {
    for (const parts of [0, -1, 1.5, Number.NaN, 0n, -2n, 2n ** 64n]) {
      assert.throws(() => splitEvenly(money(1n, 'USD'), parts), code('INVALID_ALLOCATION'), String(parts));
    }
  });
});
