import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { cnpjCheckDigits, formatCnpj, isValidCnpj, normalizeCnpj } from '../src/index';

const DIGITS = '0123456789';
const ALPHANUMERIC = `${DIGITS}ABCDEFGHIJKLMNOPQRSTUVWXYZ`;
const chars = (alphabet: string, length: number) =>
  fc.array(fc.constantFrom(...alphabet), { minLength: length, maxLength: length }).map((c) => c.join(''));
const alphanumericBase = chars(ALPHANUMERIC, 12).filter((base) => new Set(base).size > 1);
const numericBase = chars(DIGITS, 12);
const valueOf = (char: string) => char.charCodeAt(0) - 48;
const replaceAt = (value: string, position: number, char: string) => value.slice(0, position) + char + value.slice(position + 1);

/** Pre-2026 numeric rule with the published weight tables written out: the oracle for backward compatibility. */
function referenceNumericCheckDigits(base: string): string {
  const dv = (values: number[], weights: number[]) => {
    const remainder = values.reduce((sum, value, i) => sum + value * (weights[i] ?? 0), 0) % 11;
    return remainder < 2 ? 0 : 11 - remainder;
  };
  const values = [...base].map(Number);
  const first = dv(values, [5, 4, 3, 2, 9, 8, 7, 6, 5, 4, 3, 2]);
  const second = dv([...values, first], [6, 5, 4, 3, 2, 9, 8, 7, 6, 5, 4, 3, 2]);
  return `${first}${second}`;
}

describe('CNPJ fixed vectors (published examples)', () => {
  it('12.ABC.345/01DE-35: the alphanumeric example of Receita Federal / SERPRO', () => {
    assert.equal(cnpjCheckDigits('12ABC34501DE'), '35');
    assert.equal(isValidCnpj('12.ABC.345/01DE-35'), true);
    assert.equal(isValidCnpj('12abc34501de35'), true);
    assert.equal(isValidCnpj('12.ABC.345/01DE-00'), false);
  });

  it('00.000.000/0001-91: Banco do Brasil, the usual published numeric example', () => {
    assert.equal(cnpjCheckDigits('000000000001'), '91');
    assert.equal(isValidCnpj('00.000.000/0001-91'), true);
  });

  it('numeric worked examples: 44.038.188/0001-32 (masterdaweb.com) and 42.318.949/0001-84 (trabalhosgratuitos.com)', () => {
    assert.equal(cnpjCheckDigits('44.038.188/0001'), '32');
    assert.equal(isValidCnpj('44.038.188/0001-32'), true);
    assert.equal(cnpjCheckDigits('423189490001'), '84');
    assert.equal(isValidCnpj('42318949000184'), true);
  });

  it('rejects one-character CNPJs although their check digits can add up', () => {
    assert.equal(cnpjCheckDigits('000000000000'), '00');
    for (const d of DIGITS) assert.equal(isValidCnpj(d.repeat(14)), false, d);
  });

  it('rejects letters in the check digits, wrong lengths and foreign characters', () => {
    for (const bad of ['12ABC34501DE3A', '12ABC34501DE3', '12ABC34501DE355', '12ABC34501D?35', '12ÀBC34501DE35', '']) {
      assert.equal(isValidCnpj(bad), false, bad);
    }
  });
});

describe('CNPJ normalise and format', () => {
  it('strips dots, slashes, dashes and whitespace, and upper-cases', () => {
    assert.equal(normalizeCnpj(' 12.abc.345/01de-35 '), '12ABC34501DE35');
    assert.equal(normalizeCnpj('00 000 000 0001 91'), '00000000000191');
  });

  it('upper-cases ASCII letters only, so no foreign letter can turn into a valid one', () => {
    assert.equal(normalizeCnpj('ß'), 'ß'); // 'ß'.toUpperCase() would be 'SS'
    const base = '12ABC345SSDE';
    const cnpj = base + cnpjCheckDigits(base);
    assert.equal(isValidCnpj(cnpj), true);
    assert.equal(isValidCnpj(cnpj.replace('SS', 'ß')), false);
  });

  it('formats as XX.XXX.XXX/XXXX-XX and refuses other shapes', () => {
    assert.equal(formatCnpj('12ABC34501DE35'), '12.ABC.345/01DE-35');
    assert.equal(formatCnpj('12abc34501de35'), '12.ABC.345/01DE-35');
    assert.equal(formatCnpj('00000000000191'), '00.000.000/0001-91');
    assert.throws(() => formatCnpj('12ABC34501DE3'), RangeError);
    assert.throws(() => formatCnpj('12ABC34501DE3A'), RangeError);
  });

  it('cnpjCheckDigits refuses anything but 12 characters [A-Z0-9]', () => {
    for (const bad of ['12ABC34501D', '12ABC34501DE3', '12ABC34501D_', '']) assert.throws(() => cnpjCheckDigits(bad), RangeError, bad);
  });
});

describe('CNPJ properties', () => {
  it('numeric bases keep their pre-2026 check digits', () => {
    fc.assert(fc.property(numericBase, (base) => cnpjCheckDigits(base) === referenceNumericCheckDigits(base)));
  });

  it('an alphanumeric base followed by its computed check digits validates, in any case and format', () => {
    fc.assert(
      fc.property(alphanumericBase, (base) => {
        const cnpj = base + cnpjCheckDigits(base);
        return isValidCnpj(cnpj) && isValidCnpj(formatCnpj(cnpj).toLowerCase());
      }),
    );
  });

  it('changing either check digit invalidates', () => {
    fc.assert(
      fc.property(alphanumericBase, (base) => {
        const cnpj = base + cnpjCheckDigits(base);
        for (const position of [12, 13]) {
          for (const d of DIGITS) if (d !== cnpj[position]) assert.equal(isValidCnpj(replaceAt(cnpj, position, d)), false);
        }
      }),
    );
  });

  it('changing any one base character invalidates, except for the two blind spots of the official rule', () => {
    // Caught unless the first check digit is 0 (remainders 0 and 1 collide) or the two characters' values differ
    // by a multiple of 11 (e.g. '6' = 6 and 'A' = 17), which no weighted sum modulo 11 can see.
    fc.assert(
      fc.property(alphanumericBase, (base) => {
        const cnpj = base + cnpjCheckDigits(base);
        fc.pre(cnpj[12] !== '0');
        for (let position = 0; position < 12; position += 1) {
          const original = cnpj[position] ?? '';
          for (const char of ALPHANUMERIC) {
            if (char === original || (valueOf(char) - valueOf(original)) % 11 === 0) continue;
            assert.equal(isValidCnpj(replaceAt(cnpj, position, char)), false, `${cnpj} ${position} ${char}`);
          }
        }
      }),
    );
  });

  it('documents the multiple-of-11 blind spot: swapping characters 11 apart keeps the check digits', () => {
    fc.assert(
      fc.property(alphanumericBase, fc.integer({ min: 0, max: 11 }), (base, position) => {
        const original = base[position] ?? '';
        const twin = [...ALPHANUMERIC].find((c) => c !== original && (valueOf(c) - valueOf(original)) % 11 === 0);
        fc.pre(twin !== undefined);
        return cnpjCheckDigits(replaceAt(base, position, twin ?? '')) === cnpjCheckDigits(base);
      }),
    );
  });

  it('format and normalise round-trip', () => {
    const shaped = fc.tuple(chars(ALPHANUMERIC, 12), chars(DIGITS, 2)).map(([body, dv]) => body + dv);
    fc.assert(
      fc.property(shaped, (cnpj) => normalizeCnpj(formatCnpj(cnpj)) === cnpj && formatCnpj(formatCnpj(cnpj).toLowerCase()) === formatCnpj(cnpj)),
    );
  });
});
