import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { XmlDocument, XmlElement, XmlText } from 'libxml2-wasm';
import { isDomainError } from '@baas/errors';
import { CURRENCIES } from '@baas/money';
import { buildPacs008, isValidBic, minorUnitsToDecimal, parseBic, parseIban, PACS008_NAMESPACE, type Pacs008Input } from '../../src/domain/wire';

// Reads the message back with a real XML parser (libxml2): elements, attributes, text; anything
// else (comments, CDATA, processing instructions, mixed content) would mean injected markup.
type Node = { name: string; ns: string; attrs: Record<string, string>; children: Node[]; text: string };
function toNode(el: XmlElement): Node {
  const node: Node = { name: el.name, ns: el.namespaceUri, attrs: Object.fromEntries(el.attrs.map((a) => [a.name, a.value])), children: [], text: '' };
  const texts: string[] = [];
  for (let c = el.firstChild; c; c = c.next) {
    if (c instanceof XmlElement) node.children.push(toNode(c));
    else if (c instanceof XmlText) texts.push(c.content);
    else assert.fail(`unexpected ${c.constructor.name} in ${el.name}`);
  }
  if (node.children.length > 0) assert.equal(texts.join('').trim(), '', `no mixed content in ${el.name}`);
  else node.text = texts.join('');
  return node;
}
function parseXml(xml: string): Node {
  assert.ok(xml.startsWith('<?xml version="1.0" encoding="UTF-8"?>\n'), 'XML declaration');
  const doc = XmlDocument.fromString(xml);
  try {
    return toNode(doc.root);
  } finally {
    doc.dispose();
  }
}
const child = (n: Node, name: string) => n.children.find((c) => c.name === name)!;
const names = (n: Node) => n.children.map((c) => c.name);

const base: Pacs008Input = {
  msgId: 'MSG-2026-0001',
  createdAt: new Date('2026-12-05T10:00:00.000Z'),
  debtor: { name: 'Maria Silva', iban: 'BR15 0000 0000 0000 1093 2840 814P 2', bic: 'bbdebrsp' },
  creditor: { name: 'Hans Müller', iban: 'DE89 3704 0044 0532 0130 00', bic: 'COBADEFFXXX' },
  amount: 123456n,
  currency: 'EUR',
  endToEndId: 'E2E-0001',
  remittanceInfo: 'Invoice 42',
};
const coded = (reason: string, field?: string) => (e: unknown) =>
  isDomainError(e) && e.code === 'BAD_USER_INPUT' && e.details?.reason === reason && (field === undefined || e.details?.field === field);

describe('wires: IBAN, BIC, pacs.008', () => {
  it('IBAN: normalised and validated; coded refusals', () => {
    const de = parseIban(' de89 3704 0044 0532 0130 00 ');
    assert.deepEqual(de, { iban: 'DE89370400440532013000', countryCode: 'DE', bban: '370400440532013000', friendly: 'DE89 3704 0044 0532 0130 00' });
    assert.equal(parseIban('BR1500000000000010932840814P2').iban.length, 29);
    for (const bad of ['DE89370400440532013001', 'XX00', '', 'BR15 0000 0000 0000 1093 2840 814P 3']) {
      assert.throws(() => parseIban(bad), coded('BAD_IBAN', 'iban'));
    }
    assert.throws(() => parseIban(undefined as unknown as string, 'creditor.iban'), coded('BAD_IBAN', 'creditor.iban'));
  });

  it('property: a single changed character of a valid IBAN is refused (mod 97)', () => {
    fc.assert(fc.property(fc.integer({ min: 4, max: 21 }), fc.integer({ min: 1, max: 9 }), (pos, delta) => {
      const iban = 'DE89370400440532013000';
      const changed = iban.slice(0, pos) + String((Number(iban[pos]) + delta) % 10) + iban.slice(pos + 1);
      assert.throws(() => parseIban(changed), coded('BAD_IBAN'));
    }));
  });

  it('BIC: 8 or 11 characters, known country, normalised', () => {
    assert.equal(isValidBic('COBADEFF'), true);
    assert.equal(isValidBic(' cobadeffxxx '), true);
    assert.equal(parseBic('bbdebrsp'), 'BBDEBRSP');
    for (const bad of ['COBADEF', 'COBAXXFF', 'COBADEFFXX', '1234DEFF', '']) assert.equal(isValidBic(bad), false, bad);
    assert.throws(() => parseBic('COBADEFFX'), coded('BAD_BIC', 'bic'));
  });

  it('minor units to decimal text, exactly, per ISO 4217 exponent', () => {
    assert.equal(minorUnitsToDecimal(123456n, 2), '1234.56');
    assert.equal(minorUnitsToDecimal(5n, 2), '0.05');
    assert.equal(minorUnitsToDecimal(5n, 3), '0.005');
    assert.equal(minorUnitsToDecimal(1000n, 0), '1000');
    assert.equal(minorUnitsToDecimal(1n, 4), '0.0001');
    fc.assert(fc.property(fc.bigInt({ min: 1n, max: 10n ** 18n - 1n }), fc.constantFrom(0, 2, 3, 4), (amount, exp) => {
      const text = minorUnitsToDecimal(amount, exp);
      assert.match(text, exp === 0 ? /^\d+$/ : new RegExp(`^\\d+\\.\\d{${exp}}$`));
      assert.equal(BigInt(text.replace('.', '')), amount);
    }));
  });

  it('pacs.008: well-formed, elements in the schema order, exact amount', () => {
    const xml = buildPacs008(base);
    const doc = parseXml(xml);
    assert.equal(doc.name, 'Document');
    assert.equal(doc.ns, PACS008_NAMESPACE);
    assert.deepEqual(names(doc), ['FIToFICstmrCdtTrf']);
    const msg = child(doc, 'FIToFICstmrCdtTrf');
    assert.deepEqual(names(msg), ['GrpHdr', 'CdtTrfTxInf']);
    const hdr = child(msg, 'GrpHdr');
    assert.deepEqual(names(hdr), ['MsgId', 'CreDtTm', 'NbOfTxs', 'SttlmInf']);
    assert.equal(child(hdr, 'CreDtTm').text, '2026-12-05T10:00:00.000Z');
    assert.equal(child(hdr, 'NbOfTxs').text, '1');
    const tx = child(msg, 'CdtTrfTxInf');
    assert.deepEqual(names(tx), ['PmtId', 'IntrBkSttlmAmt', 'ChrgBr', 'Dbtr', 'DbtrAcct', 'DbtrAgt', 'CdtrAgt', 'Cdtr', 'CdtrAcct', 'RmtInf']);
    assert.equal(child(child(tx, 'PmtId'), 'EndToEndId').text, 'E2E-0001');
    const amt = child(tx, 'IntrBkSttlmAmt');
    assert.deepEqual([amt.text, amt.attrs.Ccy], ['1234.56', 'EUR']);
    assert.equal(child(tx, 'ChrgBr').text, 'SHAR');
    assert.equal(child(child(child(tx, 'DbtrAcct'), 'Id'), 'IBAN').text, 'BR1500000000000010932840814P2');
    assert.equal(child(child(child(tx, 'DbtrAgt'), 'FinInstnId'), 'BICFI').text, 'BBDEBRSP');
    assert.equal(child(child(tx, 'Cdtr'), 'Nm').text, 'Hans Müller');
    assert.equal(child(child(tx, 'RmtInf'), 'Ustrd').text, 'Invoice 42');
    assert.deepEqual(names(parseXml(buildPacs008({ ...base, remittanceInfo: undefined })).children[0]!.children[1]!).slice(-1), ['CdtrAcct']);
  });

  it('property: amounts in every currency are written exactly with its exponent', () => {
    fc.assert(fc.property(fc.constantFrom(...CURRENCIES), fc.bigInt({ min: 1n, max: 10n ** 18n - 1n }), (cur, amount) => {
      const tx = parseXml(buildPacs008({ ...base, currency: cur.code, amount })).children[0]!.children[1]!;
      const amt = child(tx, 'IntrBkSttlmAmt');
      assert.equal(amt.attrs.Ccy, cur.code);
      assert.equal(amt.text, minorUnitsToDecimal(amount, cur.minorUnits));
      const [int, frac = ''] = amt.text.split('.');
      assert.equal(frac.length, cur.minorUnits);
      assert.equal(BigInt(int! + frac), amount);
    }), { numRuns: 200 });
  });

  it('property: untrusted text is escaped: it reads back unchanged and no injected markup survives', () => {
    const textArb = fc.string({ unit: 'grapheme', minLength: 1, maxLength: 60 }).filter((s) => s.trim() !== '' && !/[\u0000-\u0008\u000B\u000C\u000E-\u001F\uFFFE\uFFFF]/.test(s));
    // Entity-shaped text and carriage returns too: xmlbuilder2 would leave `&amp;`, `&#65;`, `&x;` unescaped.
    const evil = fc.constantFrom('</Nm><Nm>x', '<![CDATA[x]]>', '&amp;', '"\'<>&', ']]>', '<?pi?>', '<!-- c -->', 'Tom &amp; Jerry', '&#65;&#x41;', '&nbsp; &x;', 'a\r\nb\rc', '&#13;');
    fc.assert(fc.property(fc.oneof(textArb, evil), fc.oneof(textArb, evil), fc.oneof(textArb, evil), (name, info, id) => {
      const xml = buildPacs008({ ...base, debtor: { ...base.debtor, name }, remittanceInfo: info, msgId: id.slice(0, 35) });
      const doc = parseXml(xml); // throws on any unescaped markup
      const tx = doc.children[0]!.children[1]!;
      assert.equal(child(child(tx, 'Dbtr'), 'Nm').text, name);
      assert.equal(child(child(tx, 'RmtInf'), 'Ustrd').text, info);
      assert.equal(child(doc.children[0]!.children[0]!, 'MsgId').text, id.slice(0, 35));
      assert.equal((xml.match(/</g) ?? []).length, 2 * 31 + 1); // only the 31 elements of the message and the declaration
    }), { numRuns: 300 });
  });

  it('coded refusals for bad input', () => {
    assert.throws(() => buildPacs008({ ...base, creditor: { ...base.creditor, iban: 'DE00370400440532013000' } }), coded('BAD_IBAN', 'creditor.iban'));
    assert.throws(() => buildPacs008({ ...base, debtor: { ...base.debtor, bic: 'NOPE' } }), coded('BAD_BIC', 'debtor.bic'));
    assert.throws(() => buildPacs008({ ...base, currency: 'usd' }), coded('BAD_CURRENCY', 'currency'));
    assert.throws(() => buildPacs008({ ...base, currency: 'XAU' }), coded('BAD_CURRENCY', 'currency'));
    assert.throws(() => buildPacs008({ ...base, amount: 0n }), coded('BAD_AMOUNT', 'amount'));
    assert.throws(() => buildPacs008({ ...base, amount: -5n }), coded('BAD_AMOUNT', 'amount'));
    assert.throws(() => buildPacs008({ ...base, amount: 10n ** 18n }), coded('BAD_AMOUNT', 'amount'));
    assert.throws(() => buildPacs008({ ...base, amount: 12.5 as unknown as bigint }), coded('BAD_AMOUNT', 'amount'));
    assert.throws(() => buildPacs008({ ...base, msgId: 'x'.repeat(36) }), coded('BAD_TEXT', 'msgId'));
    assert.throws(() => buildPacs008({ ...base, endToEndId: '  ' }), coded('BAD_TEXT', 'endToEndId'));
    assert.throws(() => buildPacs008({ ...base, remittanceInfo: 'a\u0000b' }), coded('BAD_TEXT', 'remittanceInfo'));
    assert.throws(() => buildPacs008({ ...base, debtor: { ...base.debtor, name: 'y'.repeat(141) } }), coded('BAD_TEXT', 'debtor.name'));
    assert.throws(() => buildPacs008({ ...base, createdAt: new Date('x') }), coded('BAD_DATE', 'createdAt'));
  });
});
