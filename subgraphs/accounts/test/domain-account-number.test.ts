import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import {
  AccountNumberError,
  computeCheckDigit,
  formatAccount,
  nextAccountNumber,
  parseAccountReference,
  validateAccount,
  type AccountReferenceErrorCode,
  type AccountReferenceResult,
} from '../src/domain/index';

const DIGITS = '0123456789';
const CHECK_CHARS = '0123456789X';

const errorCode = (result: AccountReferenceResult): AccountReferenceErrorCode | undefined =>
  result.ok ? undefined : result.error.code;

/** Whether "number-check" (number digits followed by one check character) validates. */
const accepts = (number: string, checkDigit: string) => validateAccount({ branch: '0001', number, checkDigit }).ok;

// Banco do Brasil's rule, written as its documentation states it: weights 9, 8, ..., 2 from the left over an
// 8-digit number, DV = 11 - (sum mod 11), 10 -> X, 11 -> 0. A second implementation to compare against.
function bancoDoBrasilDv(eightDigits: string): string {
  const sum = [...eightDigits].reduce((acc, d, i) => acc + Number(d) * (9 - i), 0);
  const dv = 11 - (sum % 11);
  return dv === 10 ? 'X' : dv === 11 ? '0' : String(dv);
}

const widthArb = fc.integer({ min: 1, max: 10 });
const accountArb = widthArb.chain((width) =>
  fc.bigInt({ min: 1n, max: 10n ** BigInt(width) - 1n }).map((value) => nextAccountNumber(value, width)),
);

describe('computeCheckDigit', () => {
  it('matches known vectors', () => {
    assert.equal(computeCheckDigit('00210169'), '6'); // Banco do Brasil's worked example: 00210169-6
    assert.equal(computeCheckDigit('12345678'), '9'); // 156 mod 11 = 2 -> 9
    assert.equal(computeCheckDigit('1234567890'), '0'); // weights wrap to 2, 3: 231 mod 11 = 0 -> "0"
    assert.equal(computeCheckDigit('6'), 'X'); // 12 mod 11 = 1 -> 10 -> "X"
    assert.equal(computeCheckDigit('5'), '1'); // 10 mod 11 = 10 -> 1
    assert.equal(computeCheckDigit('1'), '9');
  });

  it('ignores leading zeros (they weigh nothing)', () => {
    fc.assert(
      fc.property(fc.stringMatching(/^[0-9]{1,6}$/), fc.integer({ min: 0, max: 4 }), (digits, zeros) => {
        assert.equal(computeCheckDigit('0'.repeat(zeros) + digits), computeCheckDigit(digits));
      }),
    );
  });

  it("agrees with Banco do Brasil's left-to-right statement of the rule on 8 digits", () => {
    fc.assert(
      fc.property(fc.stringMatching(/^[0-9]{8}$/), (digits) => {
        assert.equal(computeCheckDigit(digits), bancoDoBrasilDv(digits));
      }),
      { numRuns: 2000 },
    );
  });

  it('rejects anything but 1 to 10 ASCII digits', () => {
    for (const bad of ['', '12345678901', '12a4', ' 123', '１２３', '-1']) {
      assert.throws(() => computeCheckDigit(bad), (e: unknown) => e instanceof AccountNumberError && e.code === 'INVALID_NUMBER', bad);
    }
  });
});

describe('formatAccount / parseAccountReference / validateAccount', () => {
  it('formats and parses "0001 / 12345678-9"', () => {
    assert.equal(formatAccount({ branch: '0001', number: '12345678', checkDigit: '9' }), '0001 / 12345678-9');
    const parsed = parseAccountReference('0001 / 12345678-9');
    assert.deepEqual(parsed, { ok: true, value: { branch: '0001', number: '12345678', checkDigit: '9' } });
  });

  it('tolerates spacing around the slash, surrounding whitespace and a lowercase x', () => {
    for (const text of ['0001/12345678-9', '  0001 /12345678-9\n', '0001  /  12345678-9']) {
      assert.ok(parseAccountReference(text).ok, text);
    }
    assert.deepEqual(parseAccountReference('1234 / 6-x'), { ok: true, value: { branch: '1234', number: '6', checkDigit: 'X' } });
    assert.equal(formatAccount({ branch: '1234', number: '6', checkDigit: 'x' }), '1234 / 6-X');
  });

  it('reports typed errors', () => {
    const cases: Array<[string, AccountReferenceErrorCode]> = [
      ['', 'INVALID_FORMAT'],
      ['0001 12345678-9', 'INVALID_FORMAT'],
      ['0001 / 123456789', 'INVALID_FORMAT'],
      ['001 / 12345678-9', 'INVALID_FORMAT'],
      ['0001 / 12345678901-0', 'INVALID_FORMAT'],
      ['０００１ / 12345678-9', 'INVALID_FORMAT'],
      ['0001 / 12345678-9'.padEnd(100, ' ') + 'x', 'INVALID_FORMAT'],
      ['0001 / 12345678-8', 'INVALID_CHECK_DIGIT'],
      ['0001 / 12345678-X', 'INVALID_CHECK_DIGIT'],
      ['0001 / 0000-0', 'INVALID_NUMBER'],
    ];
    for (const [text, code] of cases) assert.equal(errorCode(parseAccountReference(text)), code, JSON.stringify(text));
    assert.equal(errorCode(parseAccountReference(42 as unknown as string)), 'INVALID_FORMAT');

    assert.equal(errorCode(validateAccount({ branch: '12a4', number: '1', checkDigit: '9' })), 'INVALID_BRANCH');
    assert.equal(errorCode(validateAccount({ branch: '12345', number: '1', checkDigit: '9' })), 'INVALID_BRANCH');
    assert.equal(errorCode(validateAccount({ branch: '0001', number: '', checkDigit: '0' })), 'INVALID_NUMBER');
    assert.equal(errorCode(validateAccount({ branch: '0001', number: '1', checkDigit: '10' })), 'INVALID_CHECK_DIGIT');
    assert.equal(errorCode(validateAccount({ branch: '0001', number: '1', checkDigit: 'Y' })), 'INVALID_CHECK_DIGIT');
    assert.throws(
      () => formatAccount({ branch: '0001', number: '12345678', checkDigit: '0' }),
      (e: unknown) => e instanceof AccountNumberError && e.code === 'INVALID_CHECK_DIGIT',
    );
  });
});

describe('nextAccountNumber', () => {
  it('zero-pads the sequence value and adds the check digit', () => {
    assert.deepEqual(nextAccountNumber(1n, 8), { number: '00000001', checkDigit: '9' });
    assert.deepEqual(nextAccountNumber(210169n, 8), { number: '00210169', checkDigit: '6' });
    assert.deepEqual(nextAccountNumber(9_999_999_999n, 10), { number: '9999999999', checkDigit: computeCheckDigit('9999999999') });
  });

  it('refuses values that do not fit, and bad widths', () => {
    const outOfRange = (e: unknown) => e instanceof AccountNumberError && e.code === 'SEQUENCE_OUT_OF_RANGE';
    assert.throws(() => nextAccountNumber(0n, 8), outOfRange);
    assert.throws(() => nextAccountNumber(-1n, 8), outOfRange);
    assert.throws(() => nextAccountNumber(100_000_000n, 8), outOfRange);
    assert.throws(() => nextAccountNumber(1 as unknown as bigint, 8), outOfRange);
    for (const width of [0, 11, 1.5, Number.NaN]) assert.throws(() => nextAccountNumber(1n, width), outOfRange, String(width));
  });
});

describe('check digit properties', () => {
  it('every generated number validates and round-trips through format/parse', () => {
    fc.assert(
      fc.property(accountArb, fc.stringMatching(/^[0-9]{4}$/), ({ number, checkDigit }, branch) => {
        assert.ok(accepts(number, checkDigit));
        const text = formatAccount({ branch, number, checkDigit });
        assert.deepEqual(parseAccountReference(text), { ok: true, value: { branch, number, checkDigit } });
      }),
      { numRuns: 500 },
    );
  });

  it('detects every single-character substitution (all positions, all substitutes)', () => {
    fc.assert(
      fc.property(accountArb, ({ number, checkDigit }) => {
        for (let i = 0; i < number.length; i++) {
          for (const d of DIGITS) {
            if (d === number[i]) continue;
            assert.equal(accepts(number.slice(0, i) + d + number.slice(i + 1), checkDigit), false, `${number}-${checkDigit} @${i}=${d}`);
          }
        }
        for (const c of CHECK_CHARS) if (c !== checkDigit) assert.equal(accepts(number, c), false);
      }),
      { numRuns: 300 },
    );
  });

  it('detects every transposition of two adjacent different characters, the check digit included', () => {
    fc.assert(
      fc.property(accountArb, ({ number, checkDigit }) => {
        const full = number + checkDigit;
        for (let i = 0; i + 1 < full.length; i++) {
          if (full[i] === full[i + 1]) continue;
          const swapped = full.slice(0, i) + full[i + 1] + full[i] + full.slice(i + 2);
          // An "X" moved into the number is caught by the syntax check, which is still a detection.
          assert.equal(accepts(swapped.slice(0, -1), swapped.slice(-1)), false, `${full} swap @${i}`);
        }
      }),
      { numRuns: 500 },
    );
  });

  it('has a 100% detection rate for both error kinds, exhaustively over every 4-digit number', () => {
    let singles = 0;
    let singlesCaught = 0;
    let swaps = 0;
    let swapsCaught = 0;
    for (let value = 1; value <= 9999; value++) {
      const { number, checkDigit } = nextAccountNumber(BigInt(value), 4);
      const full = number + checkDigit;
      for (let i = 0; i < full.length; i++) {
        for (const c of i < number.length ? DIGITS : CHECK_CHARS) {
          if (c === full[i]) continue;
          const changed = full.slice(0, i) + c + full.slice(i + 1);
          singles++;
          if (!accepts(changed.slice(0, -1), changed.slice(-1))) singlesCaught++;
        }
        if (i + 1 < full.length && full[i] !== full[i + 1]) {
          const swapped = full.slice(0, i) + full[i + 1] + full[i] + full.slice(i + 2);
          swaps++;
          if (!accepts(swapped.slice(0, -1), swapped.slice(-1))) swapsCaught++;
        }
      }
    }
    assert.ok(singles > 400_000 && swaps > 30_000);
    assert.equal(singlesCaught, singles);
    assert.equal(swapsCaught, swaps);
  });

  it('does NOT catch swapping two digits 8 positions apart (same weight): the documented limit', () => {
    // In a 10-digit number, the 1st and 9th digits from the left both weigh 3 (positions 9 and 1 from the right).
    fc.assert(
      fc.property(fc.stringMatching(/^[0-9]{10}$/).filter((n) => !/^0+$/.test(n)), (number) => {
        const swapped = number[8]! + number.slice(1, 8) + number[0]! + number[9]!;
        fc.pre(!/^0+$/.test(swapped));
        assert.ok(accepts(swapped, computeCheckDigit(number)));
      }),
    );
  });
});
