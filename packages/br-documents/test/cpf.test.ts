import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { cpfCheckDigits, formatCpf, isValidCpf, normalizeCpf } from '../src/index';

const digit = fc.constantFrom(...'0123456789');
const digits = (length: number) => fc.array(digit, { minLength: length, maxLength: length }).map((d) => d.join(''));
// A base of one repeated digit yields a repeated-digit CPF, which is rejected on purpose.
const cpfBase = digits(9).filter((base) => new Set(base).size > 1);

/** Textbook oracle with the weights written out, independent of the package's weight generator. */
function referenceCheckDigits(base: string): string {
  const dv = (values: number[], weights: number[]) => {
    const remainder = values.reduce((sum, value, i) => sum + value * (weights[i] ?? 0), 0) % 11;
    return remainder < 2 ? 0 : 11 - remainder;
  };
  const values = [...base].map(Number);
  const first = dv(values, [10, 9, 8, 7, 6, 5, 4, 3, 2]);
  const second = dv([...values, first], [11, 10, 9, 8, 7, 6, 5, 4, 3, 2]);
  return `${first}${second}`;
}

describe('CPF fixed vectors (published worked examples)', () => {
  it('123.456.789-09 (elibrary.tips worked example: d1 = 0, d2 = 9)', () => {
    assert.equal(cpfCheckDigits('123456789'), '09');
    assert.equal(isValidCpf('123.456.789-09'), true);
    assert.equal(isValidCpf('12345678909'), true);
  });

  it('235.343.104-62 (professor-alexandre.blogspot.com, after "A Magia da Matemática", Ilydio Sá)', () => {
    assert.equal(cpfCheckDigits('235.343.104'), '62');
    assert.equal(isValidCpf('235.343.104-62'), true);
  });

  it('rejects wrong check digits, wrong lengths and foreign characters', () => {
    for (const bad of ['123.456.789-00', '123.456.789-90', '1234567890', '123456789090', '1234567890a', '', '123/456/789-09']) {
      assert.equal(isValidCpf(bad), false, bad);
    }
  });

  it('rejects every repeated-digit CPF although their check digits add up', () => {
    for (const d of '0123456789') {
      const cpf = d.repeat(11);
      assert.equal(cpfCheckDigits(cpf.slice(0, 9)), cpf.slice(9), 'the arithmetic alone would accept it');
      assert.equal(isValidCpf(cpf), false, cpf);
    }
  });
});

describe('CPF normalise and format', () => {
  it('strips only dots, dashes and whitespace', () => {
    assert.equal(normalizeCpf(' 123.456.789-09 '), '12345678909');
    assert.equal(normalizeCpf('123 456 789 09'), '12345678909');
    assert.equal(normalizeCpf('123/456'), '123/456');
  });

  it('formats 11 digits and refuses other shapes', () => {
    assert.equal(formatCpf('12345678909'), '123.456.789-09');
    assert.equal(formatCpf('123.456.789-09'), '123.456.789-09');
    assert.throws(() => formatCpf('1234567890'), RangeError);
    assert.throws(() => formatCpf('1234567890a'), RangeError);
  });

  it('cpfCheckDigits refuses anything but 9 digits', () => {
    for (const bad of ['12345678', '1234567890', '12345678a', '']) assert.throws(() => cpfCheckDigits(bad), RangeError, bad);
  });
});

describe('CPF properties', () => {
  it('agrees with a textbook implementation on every base', () => {
    fc.assert(fc.property(digits(9), (base) => cpfCheckDigits(base) === referenceCheckDigits(base)));
  });

  it('a base followed by its computed check digits validates, formatted or not', () => {
    fc.assert(
      fc.property(cpfBase, (base) => {
        const cpf = base + cpfCheckDigits(base);
        return isValidCpf(cpf) && isValidCpf(formatCpf(cpf));
      }),
    );
  });

  it('changing either check digit invalidates', () => {
    fc.assert(
      fc.property(cpfBase, (base) => {
        const cpf = base + cpfCheckDigits(base);
        for (const position of [9, 10]) {
          for (const d of '0123456789') {
            if (d !== cpf[position]) assert.equal(isValidCpf(cpf.slice(0, position) + d + cpf.slice(position + 1)), false);
          }
        }
      }),
    );
  });

  it('changing any one base digit invalidates whenever the first check digit is not 0', () => {
    // When it is 0, remainders 0 and 1 collide, so some edits slip through: see the next test.
    fc.assert(
      fc.property(cpfBase, (base) => {
        const cpf = base + cpfCheckDigits(base);
        fc.pre(cpf[9] !== '0');
        for (let position = 0; position < 9; position += 1) {
          for (const d of '0123456789') {
            if (d !== cpf[position]) assert.equal(isValidCpf(cpf.slice(0, position) + d + cpf.slice(position + 1)), false);
          }
        }
      }),
    );
  });

  it('documents the blind spot of the official rule: not every one-digit edit is caught', () => {
    // 706.953.073-04 and 606.953.073-04 both satisfy the rule (first sums leave remainders 0 and 1, both giving 0;
    // the second sum moves by 11). This is the algorithm's limit, not a bug to fix here.
    assert.equal(isValidCpf('706.953.073-04'), true);
    assert.equal(isValidCpf('606.953.073-04'), true);
  });

  it('format and normalise round-trip', () => {
    fc.assert(
      fc.property(digits(11), (cpf) => normalizeCpf(formatCpf(cpf)) === cpf && formatCpf(normalizeCpf(formatCpf(cpf))) === formatCpf(cpf)),
    );
  });
});
