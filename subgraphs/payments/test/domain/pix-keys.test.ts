import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { cnpjCheckDigits, cpfCheckDigits, formatCnpj, formatCpf } from '@baas/br-documents';
import { isDomainError } from '@baas/errors';
import {
  PIX_KEY_TYPES, canRegisterAnotherKey, detectPixKeyType, isValidPixKey, keyLimitRefusal, maxKeysPerAccount, newEvpKey, parseAnyPixKey, parsePixKey,
  type PixKeyType,
} from '../../src/domain/pix-keys';

const refused = (reason = 'INVALID_PIX_KEY') => (error: unknown) =>
  isDomainError(error) && error.code === 'BAD_USER_INPUT' && error.details?.reason === reason;

const cpfArb = fc.array(fc.integer({ min: 0, max: 9 }), { minLength: 9, maxLength: 9 })
  .map((d) => d.join(''))
  .filter((s) => !/^(\d)\1+$/.test(s))
  .map((first9) => first9 + cpfCheckDigits(first9));
const cnpjArb = fc.array(fc.constantFrom(...'0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ'), { minLength: 12, maxLength: 12 })
  .map((c) => c.join(''))
  .filter((s) => !/^(.)\1+$/.test(s))
  .map((first12) => first12 + cnpjCheckDigits(first12));

describe('parsePixKey: known vectors', () => {
  it('normalises each key type', () => {
    assert.equal(parsePixKey('CPF', '123.456.789-09'), '12345678909');
    assert.equal(parsePixKey('CPF', '23534310462'), '23534310462');
    assert.equal(parsePixKey('CNPJ', '12.ABC.345/01DE-35'), '12ABC34501DE35');
    assert.equal(parsePixKey('CNPJ', '12.abc.345/01de-35'), '12ABC34501DE35');
    assert.equal(parsePixKey('CNPJ', '00.000.000/0001-91'), '00000000000191');
    assert.equal(parsePixKey('PHONE', '(11) 91234-5678'), '+5511912345678');
    assert.equal(parsePixKey('PHONE', '+55 61 91234-5678'), '+5561912345678');
    assert.equal(parsePixKey('EMAIL', '  Fulano.Tal@Example.COM '), 'fulano.tal@example.com');
    assert.equal(parsePixKey('EVP', '123E4567-E89B-42D3-A456-426614174000'), '123e4567-e89b-42d3-a456-426614174000');
  });

  it('refuses bad keys with INVALID_PIX_KEY and no key in the error', () => {
    const cases: [PixKeyType, string][] = [
      ['CPF', '123.456.789-00'], ['CPF', '111.111.111-11'], ['CPF', '1234567890'], ['CNPJ', '12.ABC.345/01DE-36'], ['CNPJ', '12ABC34501DEAB'],
      ['PHONE', '+1 202 555 0100'], ['PHONE', '+55 00 91234-5678'], ['PHONE', '91234-5678'], ['EMAIL', 'no-at-sign'], ['EMAIL', 'a b@c.com'],
      ['EMAIL', `${'a'.repeat(64)}@${'b'.repeat(9)}.com`], ['EVP', '123e4567-e89b-12d3-a456-426614174000'], ['EVP', 'not-a-uuid'],
    ];
    for (const [type, raw] of cases) {
      assert.throws(() => parsePixKey(type, raw), refused(), `${type} ${raw}`);
      try { parsePixKey(type, raw); } catch (error) { assert.ok(!JSON.stringify((error as { details?: unknown }).details).includes(raw)); }
      assert.equal(isValidPixKey(type, raw), false);
    }
    assert.throws(() => parsePixKey('IBAN' as PixKeyType, 'x'), refused('INVALID_PIX_KEY_TYPE'));
  });

  it('e-mail keys: 77 characters pass, 78 do not', () => {
    const at77 = `${'a'.repeat(64)}@${'b'.repeat(8)}.com`;
    assert.equal(at77.length, 77);
    assert.equal(parsePixKey('EMAIL', at77.toUpperCase()), at77);
    assert.throws(() => parsePixKey('EMAIL', `${'a'.repeat(64)}@${'b'.repeat(9)}.com`), refused());
  });
});

describe('parsePixKey: properties', () => {
  it('every valid CPF and CNPJ (alphanumeric too), formatted or not, normalises to its bare form', () => {
    fc.assert(fc.property(cpfArb, (cpf) => {
      assert.equal(parsePixKey('CPF', cpf), cpf);
      assert.equal(parsePixKey('CPF', formatCpf(cpf)), cpf);
      assert.equal(parseAnyPixKey(formatCpf(cpf)).type, 'CPF');
    }));
    fc.assert(fc.property(cnpjArb, (cnpj) => {
      assert.equal(parsePixKey('CNPJ', formatCnpj(cnpj)), cnpj);
      assert.equal(parsePixKey('CNPJ', formatCnpj(cnpj).toLowerCase()), cnpj);
      assert.deepEqual(parseAnyPixKey(formatCnpj(cnpj)), { type: 'CNPJ', value: cnpj });
    }));
  });

  it('a changed check digit is refused', () => {
    fc.assert(fc.property(cpfArb, fc.integer({ min: 1, max: 9 }), (cpf, delta) => {
      const last = (Number(cpf[10]) + delta) % 10;
      assert.throws(() => parsePixKey('CPF', cpf.slice(0, 10) + last), refused());
    }));
  });

  it('normalisation is idempotent, and anything else is a coded refusal, never a crash', () => {
    fc.assert(fc.property(fc.constantFrom(...PIX_KEY_TYPES), fc.oneof(fc.string(), fc.emailAddress(), fc.uuid()), (type, raw) => {
      let value: string;
      try { value = parsePixKey(type, raw); } catch (error) { assert.ok(refused()(error)); return; }
      assert.equal(parsePixKey(type, value), value);
    }), { numRuns: 500 });
  });

  it('mobile phones: national and E.164 input give the same +55 key', () => {
    fc.assert(fc.property(fc.constantFrom('11', '21', '61', '71', '85'), fc.integer({ min: 0, max: 99_999_999 }), (ddd, n) => {
      const number = `9${String(n).padStart(8, '0')}`;
      const key = `+55${ddd}${number}`;
      assert.equal(parsePixKey('PHONE', `(${ddd}) ${number}`), key);
      assert.deepEqual(parseAnyPixKey(key), { type: 'PHONE', value: key });
    }));
  });

  it('EVP: new keys are lower-case UUID v4 and parse to themselves', () => {
    for (let i = 0; i < 50; i++) {
      const key = newEvpKey();
      assert.equal(parsePixKey('EVP', key), key);
      assert.equal(detectPixKeyType(key.toUpperCase()), 'EVP');
    }
  });
});

describe('detectPixKeyType', () => {
  it('tells the shapes apart', () => {
    assert.equal(detectPixKeyType('123.456.789-09'), 'CPF');
    assert.equal(detectPixKeyType('12345678909'), 'CPF');
    assert.equal(detectPixKeyType('12.ABC.345/01DE-35'), 'CNPJ');
    assert.equal(detectPixKeyType('00000000000191'), 'CNPJ');
    assert.equal(detectPixKeyType('+5511912345678'), 'PHONE');
    assert.equal(detectPixKeyType('a@b.com'), 'EMAIL');
    assert.equal(detectPixKeyType('123e4567-e89b-42d3-a456-426614174000'), 'EVP');
    assert.equal(detectPixKeyType(''), null);
    assert.equal(detectPixKeyType('hello'), null);
    assert.throws(() => parseAnyPixKey('hello'), refused());
  });
});

describe('key limits', () => {
  it('5 per person, 20 per company', () => {
    assert.equal(maxKeysPerAccount('PERSON'), 5);
    assert.equal(maxKeysPerAccount('COMPANY'), 20);
    assert.equal(canRegisterAnotherKey(4, 'PERSON'), true);
    assert.equal(canRegisterAnotherKey(5, 'PERSON'), false);
    assert.equal(canRegisterAnotherKey(19, 'COMPANY'), true);
    assert.equal(canRegisterAnotherKey(20, 'COMPANY'), false);
    assert.equal(keyLimitRefusal(4, 'PERSON'), null);
    const refusal = keyLimitRefusal(5, 'PERSON');
    assert.equal(refusal?.code, 'LIMIT_EXCEEDED');
    assert.deepEqual(refusal?.details, { reason: 'PIX_KEY_LIMIT_REACHED', limit: 5 });
    assert.throws(() => canRegisterAnotherKey(-1, 'PERSON'), refused('INVALID_COUNT'));
  });

  it('property: registering while allowed never passes the limit', () => {
    fc.assert(fc.property(fc.constantFrom<'PERSON' | 'COMPANY'>('PERSON', 'COMPANY'), fc.nat({ max: 50 }), (kind, attempts) => {
      let count = 0;
      for (let i = 0; i < attempts; i++) if (canRegisterAnotherKey(count, kind)) count++;
      assert.equal(count, Math.min(attempts, maxKeysPerAccount(kind)));
    }));
  });
});
