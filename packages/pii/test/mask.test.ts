import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { maskCnpj, maskCpf, maskEmail, maskPhone } from '../src/index';

describe('masks', () => {
  it('maskCpf keeps the middle six digits', () => {
    assert.equal(maskCpf('12345678909'), '***.456.789-**');
    assert.equal(maskCpf('123.456.789-09'), '***.456.789-**');
    for (const bad of ['1234567890', '123456789012', '1234567890a', '', null, undefined]) assert.equal(maskCpf(bad), '***');
  });

  it('maskCnpj keeps six root characters, numeric and alphanumeric', () => {
    assert.equal(maskCnpj('12345678000195'), '**.345.678/****-**');
    assert.equal(maskCnpj('12.345.678/0001-95'), '**.345.678/****-**');
    assert.equal(maskCnpj('12ABC34501DE35'), '**.ABC.345/****-**');
    for (const bad of ['1234567800019', '12345678000195X', '123456780001A5', null]) assert.equal(maskCnpj(bad), '***');
  });

  it('maskEmail and maskPhone are the logger\'s masks', () => {
    assert.equal(maskEmail('maria.silva@example.com'), 'm***@example.com');
    assert.equal(maskPhone('+5511912345678'), '***5678');
  });

  it('never reveals a CPF\'s check digits nor more than 6 digits', () => {
    fc.assert(
      fc.property(fc.stringMatching(/^\d{11}$/), (cpf) => {
        const masked = maskCpf(cpf);
        assert.equal(masked.replace(/\D/g, ''), cpf.slice(3, 9));
      }),
    );
  });
});
