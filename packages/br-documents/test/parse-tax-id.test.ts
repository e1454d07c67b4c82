import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { cnpjCheckDigits, cpfCheckDigits, formatCnpj, formatCpf, parseTaxId } from '../src/index';

describe('parseTaxId', () => {
  it('picks the kind by length and returns the normalised value', () => {
    assert.deepEqual(parseTaxId('123.456.789-09'), { kind: 'CPF', value: '12345678909' });
    assert.deepEqual(parseTaxId('12.abc.345/01de-35'), { kind: 'CNPJ', value: '12ABC34501DE35' });
    assert.deepEqual(parseTaxId(' 00.000.000/0001-91 '), { kind: 'CNPJ', value: '00000000000191' });
  });

  it('returns null for wrong check digits, repeated digits, other lengths and CNPJ separators in a CPF', () => {
    for (const bad of ['123.456.789-00', '111.111.111-11', '00.000.000/0000-00', '12.ABC.345/01DE-00', '', '1234', '123.456.789/09']) {
      assert.equal(parseTaxId(bad), null, bad);
    }
  });

  it('recognises any generated CPF or CNPJ, formatted', () => {
    const digit = fc.constantFrom(...'0123456789');
    const alnum = fc.constantFrom(...'0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ');
    const cpf = fc
      .array(digit, { minLength: 9, maxLength: 9 })
      .map((d) => d.join(''))
      .filter((b) => new Set(b).size > 1)
      .map((b) => b + cpfCheckDigits(b));
    const cnpj = fc
      .array(alnum, { minLength: 12, maxLength: 12 })
      .map((c) => c.join(''))
      .filter((b) => new Set(b).size > 1)
      .map((b) => b + cnpjCheckDigits(b));
    fc.assert(fc.property(cpf, (value) => parseTaxId(formatCpf(value))?.kind === 'CPF' && parseTaxId(value)?.value === value));
    fc.assert(fc.property(cnpj, (value) => parseTaxId(formatCnpj(value))?.kind === 'CNPJ' && parseTaxId(value)?.value === value));
  });
});
