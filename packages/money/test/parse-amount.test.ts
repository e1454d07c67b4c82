import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { INT64_MAX, isAmountInRange, isMoneyError, parseAmount } from '../src/index';

const refused = (value: unknown, opts?: Parameters<typeof parseAmount>[1]) =>
  assert.throws(() => parseAmount(value, opts), (e: unknown) => isMoneyError(e, 'INVALID_AMOUNT'), String(value));

describe('parseAmount (the one amount parser of the API)', () => {
  it('takes 1..2^63-1 as plain digits', () => {
    assert.equal(parseAmount('1'), 1n);
    assert.equal(parseAmount('50000'), 50_000n);
    assert.equal(parseAmount('9223372036854775807'), INT64_MAX);
    assert.equal(parseAmount('0', { sign: 'non-negative' }), 0n);
  });

  it('refuses zero, negatives, above int64, signs, whitespace, exponents, fractions, leading zeros and non-strings', () => {
    for (const v of ['0', '-1', '-0', '9223372036854775808', '18446744073709551616', '1'.repeat(40), '+1', ' 1', '1 ', '\t1', '1\n', '1e3', '1E3', '1.0', '1.', '.5', '01', '00', '0x10', '1_000', '1,000', '١٢٣', '', 'abc', 'NaN', 'Infinity']) {
      refused(v);
    }
    for (const v of [1, 1n, null, undefined, {}, ['1']]) refused(v);
    refused('-1', { sign: 'non-negative' });
    refused('9223372036854775808', { sign: 'non-negative' });
  });

  it('round-trips every in-range amount and agrees with isAmountInRange (property)', () => {
    fc.assert(
      fc.property(fc.bigInt({ min: 1n, max: INT64_MAX }), (n) => {
        assert.equal(parseAmount(n.toString()), n);
        assert.ok(isAmountInRange(n));
      }),
    );
  });

  it('refuses every amount above 2^63-1 or below 1, whatever its size (property)', () => {
    fc.assert(
      fc.property(fc.oneof(fc.bigInt({ min: INT64_MAX + 1n, max: 10n ** 60n }), fc.bigInt({ min: -(10n ** 30n), max: 0n })), (n) => {
        refused(n.toString());
        assert.equal(isAmountInRange(n), false);
      }),
    );
  });

  it('never throws anything but INVALID_AMOUNT, and accepts only canonical digit strings (property)', () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 30 }), (text) => {
        let value: bigint | undefined;
        try {
          value = parseAmount(text);
        } catch (error) {
          assert.ok(isMoneyError(error, 'INVALID_AMOUNT'));
          return;
        }
        assert.equal(value.toString(), text, 'only the canonical form of the number is accepted');
        assert.ok(value >= 1n && value <= INT64_MAX);
      }),
    );
  });
});
