import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { CURRENCIES, getCurrency, getCurrencyByNumericCode, isCurrencyCode, isMoneyError, MoneyError } from '../src/index';

const expectCode = (code: string) => (error: unknown) => isMoneyError(error, code as MoneyError['code']);

describe('currencies', () => {
  it('knows the minor units of well-known currencies', () => {
    const expected: Record<number, string[]> = {
      0: ['JPY', 'KRW', 'CLP', 'ISK', 'VND', 'XAF', 'XOF', 'XPF', 'PYG', 'UGX', 'RWF', 'KMF', 'DJF', 'GNF', 'VUV', 'BIF', 'UYI'],
      2: ['BRL', 'USD', 'EUR', 'GBP', 'CHF', 'CNY', 'INR', 'MXN', 'CAD', 'AUD', 'HUF', 'IDR', 'TWD', 'XCG', 'ZWG', 'SLE', 'VES'],
      3: ['BHD', 'IQD', 'JOD', 'KWD', 'LYD', 'OMR', 'TND'],
      4: ['CLF', 'UYW'],
    };
    for (const [units, codes] of Object.entries(expected)) {
      for (const code of codes) assert.equal(getCurrency(code).minorUnits, Number(units), code);
    }
  });

  it('knows numeric codes, with leading zeros', () => {
    assert.deepEqual(getCurrency('BRL'), { code: 'BRL', numericCode: '986', minorUnits: 2 });
    assert.equal(getCurrency('USD').numericCode, '840');
    assert.equal(getCurrency('EUR').numericCode, '978');
    assert.equal(getCurrency('GBP').numericCode, '826');
    assert.equal(getCurrency('ALL').numericCode, '008');
    assert.equal(getCurrencyByNumericCode('986').code, 'BRL');
    assert.equal(getCurrencyByNumericCode('392').code, 'JPY');
  });

  it('throws UNKNOWN_CURRENCY on unknown, withdrawn, metal and wrongly cased codes', () => {
    for (const code of ['XYZ', 'usd', 'Usd', ' USD', 'USDX', '', 'HRK', 'XAU', 'XXX', 'constructor', '__proto__']) {
      assert.throws(() => getCurrency(code), expectCode('UNKNOWN_CURRENCY'), code);
      assert.equal(isCurrencyCode(code), false, code);
    }
    assert.throws(() => getCurrencyByNumericCode('000'), expectCode('UNKNOWN_CURRENCY'));
    assert.throws(() => getCurrencyByNumericCode('86'), expectCode('UNKNOWN_CURRENCY'));
    assert.equal(isCurrencyCode(undefined), false);
    assert.equal(isCurrencyCode('BRL'), true);
  });

  it('has a consistent table', () => {
    assert.ok(CURRENCIES.length >= 150);
    const codes = new Set(CURRENCIES.map((c) => c.code));
    const numerics = new Set(CURRENCIES.map((c) => c.numericCode));
    assert.equal(codes.size, CURRENCIES.length);
    assert.equal(numerics.size, CURRENCIES.length);
    for (const c of CURRENCIES) {
      assert.match(c.code, /^[A-Z]{3}$/);
      assert.match(c.numericCode, /^[0-9]{3}$/);
      assert.ok([0, 2, 3, 4].includes(c.minorUnits), c.code);
      assert.ok(Object.isFrozen(c));
    }
    assert.deepEqual([...codes], [...codes].sort());
  });

  it('throws a real Error subclass', () => {
    try {
      getCurrency('ABC');
      assert.fail('expected a throw');
    } catch (error) {
      assert.ok(error instanceof MoneyError);
      assert.ok(error instanceof Error);
      assert.equal(error.code, 'UNKNOWN_CURRENCY');
      assert.equal(error.name, 'MoneyError');
    }
  });
});
