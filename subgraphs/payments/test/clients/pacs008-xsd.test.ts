import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import fc from 'fast-check';
import { composeIBAN, isValidIBAN } from 'ibantools';
import { XmlDocument } from 'libxml2-wasm';
import { isDomainError } from '@baas/errors';
import { CURRENCIES } from '@baas/money';
import { assertValidPacs008, PACS008_XSD_URL, Pacs008SchemaError, pacs008SchemaErrors } from '../../src/clients/iso20022/pacs008-schema';
import { buildPacs008, minorUnitsToDecimal, type Pacs008Input } from '../../src/domain/wire';

// IBANs of several countries (published examples, each checked below), and German ones made at random.
const IBANS = [
  'DE89370400440532013000', 'GB82WEST12345698765432', 'FR1420041010050500013M02606', 'NL91ABNA0417164300',
  'ES9121000418450200051332', 'IT60X0542811101000000123456', 'CH9300762011623852957', 'BE68539007547034',
  'AT611904300234573201', 'PT50000201231234567890154', 'BR1800360305000010009795493C1', 'NO9386011117947',
];
const ibanArb = fc.oneof(
  fc.constantFrom(...IBANS),
  fc.stringMatching(/^\d{18}$/).map((bban) => composeIBAN({ countryCode: 'DE', bban })!),
);
const bicArb = fc.tuple(fc.stringMatching(/^[A-Z]{4}$/), fc.constantFrom('DE', 'GB', 'FR', 'BR', 'CH', 'JP', 'US'), fc.stringMatching(/^[A-Z0-9]{2}$/), fc.option(fc.stringMatching(/^[A-Z0-9]{3}$/), { nil: '' }))
  .map(([bank, country, location, branch]) => bank + country + location + branch);

// Names and remittance text: accented letters, XML specials, entity-shaped text, whitespace, emoji.
const piece = fc.constantFrom('José', 'Müller', 'Çağrı', 'Ærøskøbing', 'Łódź', '東京', '😀', '&', '<', '>', '"', "'", '&amp;', '&#65;', ']]>', '</Nm>', ' ', '\t', '\n', '\r');
const textArb = (max: number) => fc.array(fc.oneof(piece, fc.string({ minLength: 1, maxLength: 8 })), { minLength: 1, maxLength: 12 })
  .map((parts) => [...parts.join('').replace(/[^\t\n\r\u0020-\uD7FF\uE000-\uFFFD\u{10000}-\u{10FFFF}]/gu, '')].slice(0, max).join(''))
  .filter((s) => s.trim() !== '');

// Currencies whose exponent is 0, 2 or 3 (e.g. JPY, EUR, KWD).
const currencyArb = fc.constantFrom(...CURRENCIES.filter((c) => [0, 2, 3].includes(c.minorUnits)));

const inputArb: fc.Arbitrary<Pacs008Input> = fc.record({
  msgId: textArb(35),
  createdAt: fc.date({ min: new Date('2000-01-01T00:00:00Z'), max: new Date('2099-12-31T23:59:59Z'), noInvalidDate: true }),
  debtor: fc.record({ name: textArb(140), iban: ibanArb, bic: bicArb }),
  creditor: fc.record({ name: textArb(140), iban: ibanArb, bic: bicArb }),
  amount: fc.bigInt({ min: 1n, max: 10n ** 18n - 1n }),
  currency: currencyArb.map((c) => c.code),
  endToEndId: textArb(35),
  remittanceInfo: fc.option(textArb(140), { nil: undefined }),
});

const valid = (): string => buildPacs008({
  msgId: 'MSG-1', createdAt: new Date('2026-12-05T10:00:00.000Z'), amount: 123456n, currency: 'EUR', endToEndId: 'E2E-1', remittanceInfo: 'Invoice 42',
  debtor: { name: 'Maria Silva', iban: 'BR1800360305000010009795493C1', bic: 'BBDEBRSP' },
  creditor: { name: 'Hans Müller', iban: 'DE89370400440532013000', bic: 'COBADEFFXXX' },
});

describe('pacs.008.001.08 against the official XSD', () => {
  it('the XSD shipped is the one the README names', () => {
    const xsd = readFileSync(PACS008_XSD_URL);
    assert.equal(createHash('sha256').update(xsd).digest('hex'), '9bb360555d1981be8635aa3ed295abfe8b2d221d316193434114ad722107dcde');
    const readme = readFileSync(new URL('README.md', PACS008_XSD_URL), 'utf8');
    assert.match(readme, /9bb360555d1981be8635aa3ed295abfe8b2d221d316193434114ad722107dcde/);
  });

  it('the sample IBANs are valid', () => {
    for (const iban of IBANS) assert.ok(isValidIBAN(iban), iban);
  });

  it('property: every generated message validates, and reads back exactly', () => {
    fc.assert(fc.property(inputArb, (input) => {
      const xml = buildPacs008(input);
      assert.deepEqual(pacs008SchemaErrors(xml), []);
      const doc = XmlDocument.fromString(xml);
      try {
        const ns = { p: 'urn:iso:std:iso:20022:tech:xsd:pacs.008.001.08' };
        const read = (path: string) => doc.get(['', 'Document', 'FIToFICstmrCdtTrf', ...path.split('/')].map((step) => (step === '' || step.startsWith('@') ? step : `p:${step}`)).join('/'), ns)?.content;
        assert.equal(read('GrpHdr/MsgId'), input.msgId);
        assert.equal(read('CdtTrfTxInf/PmtId/EndToEndId'), input.endToEndId);
        assert.equal(read('CdtTrfTxInf/Dbtr/Nm'), input.debtor.name);
        assert.equal(read('CdtTrfTxInf/Cdtr/Nm'), input.creditor.name);
        assert.equal(read('CdtTrfTxInf/RmtInf/Ustrd'), input.remittanceInfo);
        assert.equal(read('CdtTrfTxInf/CdtrAcct/Id/IBAN'), input.creditor.iban);
        const exponent = CURRENCIES.find((c) => c.code === input.currency)!.minorUnits;
        assert.equal(read('CdtTrfTxInf/IntrBkSttlmAmt'), minorUnitsToDecimal(input.amount, exponent));
        assert.equal(read('CdtTrfTxInf/IntrBkSttlmAmt/@Ccy'), input.currency);
      } finally {
        doc.dispose();
      }
    }), { numRuns: 300 });
  });

  it('a tampered message fails validation', () => {
    const xml = valid();
    assert.deepEqual(pacs008SchemaErrors(xml), []);
    const tampered: Array<[string, string, RegExp]> = [
      ['a required element removed', xml.replace(/\s*<NbOfTxs>1<\/NbOfTxs>/, ''), /NbOfTxs/],
      ['the charge bearer removed', xml.replace(/\s*<ChrgBr>SHAR<\/ChrgBr>/, ''), /ChrgBr/],
      ['elements out of order', xml.replace(/(\s*<CdtrAgt>[\s\S]*?<\/CdtrAgt>)(\s*<Cdtr>[\s\S]*?<\/Cdtr>)/, '$2$1'), /Cdtr/],
      ['an unknown charge bearer', xml.replace('<ChrgBr>SHAR</ChrgBr>', '<ChrgBr>ALL</ChrgBr>'), /ChrgBr/],
      ['a lower-case BIC', xml.replace('<BICFI>COBADEFFXXX</BICFI>', '<BICFI>cobadeffxxx</BICFI>'), /BICFI/],
      ['six significant decimal places', xml.replace('>1234.56<', '>1234.567891<'), /IntrBkSttlmAmt/],
      ['the currency attribute removed', xml.replace(' Ccy="EUR"', ''), /Ccy/],
      ['a name over 140 characters', xml.replace('<Nm>Hans Müller</Nm>', `<Nm>${'x'.repeat(141)}</Nm>`), /Nm/],
      ['another namespace', xml.replace('pacs.008.001.08', 'pacs.008.001.09'), /Document/],
      ['not well-formed', xml.replace('</GrpHdr>', ''), /GrpHdr|mismatch/i],
    ];
    for (const [what, bad, mentions] of tampered) {
      assert.notEqual(bad, xml, `${what}: the tampering applied`);
      const errors = pacs008SchemaErrors(bad);
      assert.ok(errors.length > 0, `${what}: refused`);
      assert.match(errors.join('\n'), mentions, what);
    }
  });

  it('a refused message is an internal error, not a client-facing refusal', () => {
    const bad = valid().replace(/\s*<NbOfTxs>1<\/NbOfTxs>/, '');
    assert.throws(() => assertValidPacs008(bad), (e: unknown) => e instanceof Pacs008SchemaError && !isDomainError(e) && e.errors.length > 0);
    assert.doesNotThrow(() => assertValidPacs008(valid()));
  });
});
