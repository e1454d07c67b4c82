import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { moneyField } from '../src/index';

test('moneyField: minor units travel as an exact decimal string, whatever their size', () => {
  fc.assert(
    fc.property(fc.bigInt({ min: -(2n ** 63n), max: 2n ** 63n - 1n }), (amount) => {
      const field = moneyField(amount, 'BRL');
      assert.equal(BigInt(field.minorUnits), amount);
      assert.deepEqual(moneyField(field.minorUnits, 'BRL'), field);
    }),
  );
  assert.throws(() => moneyField('12.5', 'BRL'), TypeError);
});
