import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import {
  formatMoney,
  formatMoneyLocale,
  isMoneyError,
  money,
  parseMinorUnits,
  parseMoney,
  type MoneyErrorCode,
} from '../src/index';

const code = (expected: MoneyErrorCode) => (error: unknown) => isMoneyError(error, expected);
// Intl separates symbol and number with U+00A0 or U+202F depending on the locale; compare with plain spaces.
const spaces = (text: string) => text.replace(/[\u00a0\u202f]/g, ' ');

describe('parseMoney', () => {
  it('parses exact decimals into minor units', () => {
    const vectors: Array<[string, string, bigint]> = [
      ['1234.56', 'BRL', 123456n],
      ['-0.5', 'USD', -50n],
      ['10', 'USD', 1000n],
      ['0', 'USD', 0n],
      ['-0', 'USD', 0n],
      ['-0.00', 'USD', 0n],
      ['0.01', 'EUR', 1n],
      ['10', 'JPY', 10n],
      ['-1500', 'KRW', -1500n],
      ['1.234', 'BHD', 1234n],
      ['0.001', 'KWD', 1n],
      ['1.5', 'KWD', 1500n],
      ['1.2345', 'CLF', 12345n],
      ['0.0001', 'UYW', 1n],
      ['1000000000000000000000000000000.00', 'USD', 10n ** 32n],
      ['9007199254740993.01', 'USD', 900719925474099301n],
    ];
    for (const [text, currency, amount] of vectors) {
      assert.deepEqual(parseMoney(text, currency), money(amount, currency), `${text} ${currency}`);
    }
  });

  it('rejects everything outside the strict grammar with INVALID_AMOUNT', () => {
    const rejected: Array<[string, string]> = [
      ['', 'USD'],
      ['-', 'USD'],
      ['1.', 'USD'],
      ['.5', 'USD'],
      ['-.5', 'USD'],
      ['+1', 'USD'],
      ['01', 'USD'],
      ['00.5', 'USD'],
      ['1e3', 'USD'],
      ['1E3', 'USD'],
      ['1.5e2', 'USD'],
      ['1,000.00', 'USD'],
      ['1 000', 'USD'],
      ['1_000', 'USD'],
      ['1234,56', 'BRL'],
      [' 1', 'USD'],
      ['1 ', 'USD'],
      ['1.001', 'USD'],
      ['1.000', 'USD'],
      ['1.0', 'JPY'],
      ['1.5', 'JPY'],
      ['1.2345', 'BHD'],
      ['1.23456', 'CLF'],
      ['0x10', 'USD'],
      ['NaN', 'USD'],
      ['Infinity', 'USD'],
      ['١٢', 'USD'],
      ['１２', 'USD'],
      ['--1', 'USD'],
    ];
    for (const [text, currency] of rejected) {
      assert.throws(() => parseMoney(text, currency), code('INVALID_AMOUNT'), JSON.stringify(text));
    }
    assert.throws(() => parseMoney(12 as unknown as string, 'USD'), code('INVALID_AMOUNT'));
    assert.throws(() => parseMoney('1', 'usd'), code('UNKNOWN_CURRENCY'));
  });
});

describe('formatMoney', () => {
  it('prints a plain decimal with the currency minor digits', () => {
    const vectors: Array<[bigint, string, string]> = [
      [123456n, 'BRL', '1234.56'],
      [-5n, 'USD', '-0.05'],
      [-50n, 'USD', '-0.50'],
      [0n, 'USD', '0.00'],
      [100n, 'USD', '1.00'],
      [100n, 'JPY', '100'],
      [-7n, 'JPY', '-7'],
      [5n, 'BHD', '0.005'],
      [1234567n, 'KWD', '1234.567'],
      [1n, 'CLF', '0.0001'],
      [10n ** 30n, 'USD', `1${'0'.repeat(28)}.00`],
    ];
    for (const [amount, currency, text] of vectors) {
      assert.equal(formatMoney(money(amount, currency)), text, `${amount} ${currency}`);
    }
  });
});

describe('formatMoneyLocale', () => {
  it('formats with Intl', () => {
    assert.equal(spaces(formatMoneyLocale(money(123456n, 'BRL'), 'pt-BR')), 'R$ 1.234,56');
    assert.equal(spaces(formatMoneyLocale(money(-123456n, 'BRL'), 'pt-BR')), '-R$ 1.234,56');
    assert.equal(formatMoneyLocale(money(123456n, 'USD'), 'en-US'), '$1,234.56');
    assert.equal(formatMoneyLocale(money(1235n, 'JPY'), 'en-US'), '¥1,235');
    assert.equal(spaces(formatMoneyLocale(money(123456n, 'EUR'), 'de-DE')), '1.234,56 €');
    assert.equal(formatMoneyLocale(money(123456n, 'USD'), 'en-US', { currencyDisplay: 'code' }).replace(/\s/g, ' '), 'USD 1,234.56');
  });

  it('uses ISO minor digits even where CLDR display digits differ', () => {
    // CLDR shows IQD with 0 decimals; ISO 4217 has 3, and hiding them would misstate the amount.
    assert.equal(spaces(formatMoneyLocale(money(1234567n, 'IQD'), 'en-US')), 'IQD 1,234.567');
    assert.match(formatMoneyLocale(money(12345n, 'CLF'), 'en-US'), /1\.2345$/);
  });

  it('never falls back to exponent notation or loses digits', () => {
    const text = formatMoneyLocale(money(10n ** 30n + 1n, 'USD'), 'en-US');
    assert.equal(text, `$${(10n ** 28n).toLocaleString('en-US')}.01`);
    assert.doesNotMatch(text, /e/i);
  });

  it('rejects malformed locales with INVALID_LOCALE', () => {
    assert.throws(() => formatMoneyLocale(money(1n, 'USD'), 'not a locale!'), code('INVALID_LOCALE'));
  });
});

describe('parseMinorUnits', () => {
  it('parses canonical integer strings', () => {
    assert.equal(parseMinorUnits('123456'), 123456n);
    assert.equal(parseMinorUnits('-5'), -5n);
    assert.equal(parseMinorUnits('0'), 0n);
    assert.equal(parseMinorUnits('-0'), 0n);
    assert.equal(parseMinorUnits('123456789012345678901234567890'), 123456789012345678901234567890n);
  });

  it('rejects anything else with INVALID_AMOUNT', () => {
    for (const text of ['', '-', '+1', '01', '-01', '1.0', '1.', '1e3', ' 1', '1 ', '0x10', '0b1', '1_000', '1,000', '١٢', 'NaN', '1n']) {
      assert.throws(() => parseMinorUnits(text), code('INVALID_AMOUNT'), JSON.stringify(text));
    }
    assert.throws(() => parseMinorUnits(5 as unknown as string), code('INVALID_AMOUNT'));
  });
});
