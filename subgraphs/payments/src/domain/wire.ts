import { electronicFormatIBAN, extractIBAN, friendlyFormatIBAN, isValidBIC, isValidIBAN } from 'ibantools';
import { badInput } from '@baas/errors';
import { getCurrency, isCurrencyCode } from '@baas/money';
import { create } from 'xmlbuilder2';

/**
 * International wires: IBAN / BIC validation through `ibantools`, and an ISO 20022 pacs.008.001.08
 * (FIToFICustomerCreditTransfer) message for one transaction.
 *
 * The XML is built with `xmlbuilder2` from element names that are constants of this module; every
 * caller value is a text node (never concatenated into markup) and characters XML 1.0 cannot carry are
 * refused. The amount is written exactly from bigint minor units with the currency's ISO 4217 exponent
 * (from @baas/money), never through a float. The use case validates each message against the
 * official XSD (clients/iso20022/pacs008-schema.ts: file I/O and WebAssembly, so not here): a message
 * the schema refuses is our bug and throws a plain Error (INTERNAL_SERVER_ERROR to a client).
 *
 * Refusals are BAD_USER_INPUT with details { field, reason }: BAD_IBAN, BAD_BIC, BAD_CURRENCY,
 * BAD_AMOUNT, BAD_TEXT (empty, too long, or characters XML cannot hold), BAD_DATE.
 */

export type ParsedIban = { readonly iban: string; readonly countryCode: string; readonly bban: string; readonly friendly: string };

/** Normalises (spaces and hyphens removed, upper case) and validates an IBAN; refuses with reason BAD_IBAN. */
export function parseIban(input: string, field = 'iban'): ParsedIban {
  const iban = typeof input === 'string' ? electronicFormatIBAN(input.trim()) : null;
  if (!iban || !isValidIBAN(iban)) throw badInput('Not a valid IBAN.', { field, reason: 'BAD_IBAN' });
  const parts = extractIBAN(iban);
  return { iban, countryCode: parts.countryCode ?? iban.slice(0, 2), bban: parts.bban ?? iban.slice(4), friendly: friendlyFormatIBAN(iban) ?? iban };
}

/** The normalised BIC (trimmed, upper case) when valid (8 or 11 characters, known country), else null. */
export function normaliseBic(input: string): string | null {
  if (typeof input !== 'string') return null;
  const bic = input.trim().toUpperCase();
  return isValidBIC(bic) ? bic : null;
}

export const isValidBic = (input: string): boolean => normaliseBic(input) !== null;

/** The normalised BIC; refuses with reason BAD_BIC. */
export function parseBic(input: string, field = 'bic'): string {
  const bic = normaliseBic(input);
  if (bic === null) throw badInput('Not a valid BIC.', { field, reason: 'BAD_BIC' });
  return bic;
}

/** The exact decimal text of `amount` minor units for an exponent (e.g. 12345n, 2 -> "123.45"). */
export function minorUnitsToDecimal(amount: bigint, exponent: number): string {
  const negative = amount < 0n;
  const digits = (negative ? -amount : amount).toString();
  if (exponent === 0) return (negative ? '-' : '') + digits;
  const padded = digits.padStart(exponent + 1, '0');
  return `${negative ? '-' : ''}${padded.slice(0, -exponent)}.${padded.slice(-exponent)}`;
}

// ---- XML text ----

// XML 1.0 Char: #x9 | #xA | #xD | [#x20-#xD7FF] | [#xE000-#xFFFD] | [#x10000-#x10FFFF]
const NOT_XML_CHAR = /[^\t\n\r\u0020-\uD7FF\uE000-\uFFFD\u{10000}-\u{10FFFF}]/u;

/**
 * A caller's text made safe for xmlbuilder2's text serialiser. xmlbuilder2 escapes `<` and `>` but
 * leaves an `&` alone when it already looks like an entity or character reference (`&amp;`, `&x;`,
 * `&#65;`: oozcitak/xmlbuilder2 issues 105, 110), so text like "Tom &amp; Jerry" would be read back as
 * "Tom & Jerry". Every `&` is therefore written as `&amp;` here (which xmlbuilder2 then keeps as it
 * is), and a carriage return as `&#13;` (a raw one would be read back as a line feed).
 */
const forXmlText = (value: string): string => value.replace(/&/g, '&amp;').replace(/\r/g, '&#13;');

/** A text value for a MaxNText element: trimmed-nonempty, at most `max` characters, XML-representable. */
function text(value: unknown, field: string, max: number): string {
  if (typeof value !== 'string' || value.trim() === '' || [...value].length > max || NOT_XML_CHAR.test(value)) {
    throw badInput(`Must be 1-${max} characters that XML can carry.`, { field, reason: 'BAD_TEXT', limit: max });
  }
  return value;
}

// ---- pacs.008.001.08 ----

export const PACS008_NAMESPACE = 'urn:iso:std:iso:20022:tech:xsd:pacs.008.001.08';

export type WireParty = { readonly name: string; readonly iban: string; readonly bic: string };

export type Pacs008Input = {
  readonly msgId: string;
  readonly createdAt: Date;
  readonly debtor: WireParty;
  readonly creditor: WireParty;
  /** Minor units of `currency`, > 0. */
  readonly amount: bigint;
  readonly currency: string;
  readonly endToEndId: string;
  readonly remittanceInfo?: string;
};

/** ISO 20022 ActiveCurrencyAndAmount: at most 18 digits in all. */
const MAX_AMOUNT_DIGITS = 18;

type Node = ReturnType<typeof create>;

/** Appends `names` nested one in another under `parent`, the innermost holding `value` as its text. */
function nested(parent: Node, names: readonly string[], value: string): void {
  names.reduce((node, name) => node.ele(name), parent).txt(forXmlText(value));
}

function party(p: WireParty, field: string): { name: string; iban: string; bic: string } {
  const name = text(p?.name, `${field}.name`, 140);
  const iban = parseIban(p?.iban, `${field}.iban`).iban;
  return { name, iban, bic: parseBic(p?.bic, `${field}.bic`) };
}

/**
 * The pacs.008.001.08 document for one customer credit transfer (charges shared, SHAR), checked
 * against the message's XSD before it is returned (a non-conforming message throws Pacs008SchemaError).
 */
export function buildPacs008(input: Pacs008Input): string {
  const msgId = text(input.msgId, 'msgId', 35);
  const endToEndId = text(input.endToEndId, 'endToEndId', 35);
  if (!(input.createdAt instanceof Date) || Number.isNaN(input.createdAt.getTime())) {
    throw badInput('Not a valid instant.', { field: 'createdAt', reason: 'BAD_DATE' });
  }
  if (!isCurrencyCode(input.currency)) throw badInput('Not a supported ISO 4217 currency.', { field: 'currency', reason: 'BAD_CURRENCY' });
  const exponent = getCurrency(input.currency).minorUnits;
  if (typeof input.amount !== 'bigint' || input.amount <= 0n || input.amount.toString().length > MAX_AMOUNT_DIGITS) {
    throw badInput('The amount must be a positive integer of minor units with at most 18 digits.', { field: 'amount', reason: 'BAD_AMOUNT' });
  }
  const debtor = party(input.debtor, 'debtor');
  const creditor = party(input.creditor, 'creditor');
  const remittance = input.remittanceInfo === undefined ? undefined : text(input.remittanceInfo, 'remittanceInfo', 140);

  const doc = create({ version: '1.0', encoding: 'UTF-8' });
  const msg = doc.ele(PACS008_NAMESPACE, 'Document').ele('FIToFICstmrCdtTrf');
  const hdr = msg.ele('GrpHdr');
  nested(hdr, ['MsgId'], msgId);
  nested(hdr, ['CreDtTm'], input.createdAt.toISOString());
  nested(hdr, ['NbOfTxs'], '1');
  nested(hdr, ['SttlmInf', 'SttlmMtd'], 'INDA');
  const tx = msg.ele('CdtTrfTxInf');
  nested(tx, ['PmtId', 'EndToEndId'], endToEndId);
  tx.ele('IntrBkSttlmAmt', { Ccy: input.currency }).txt(minorUnitsToDecimal(input.amount, exponent));
  nested(tx, ['ChrgBr'], 'SHAR');
  nested(tx, ['Dbtr', 'Nm'], debtor.name);
  nested(tx, ['DbtrAcct', 'Id', 'IBAN'], debtor.iban);
  nested(tx, ['DbtrAgt', 'FinInstnId', 'BICFI'], debtor.bic);
  nested(tx, ['CdtrAgt', 'FinInstnId', 'BICFI'], creditor.bic);
  nested(tx, ['Cdtr', 'Nm'], creditor.name);
  nested(tx, ['CdtrAcct', 'Id', 'IBAN'], creditor.iban);
  if (remittance !== undefined) nested(tx, ['RmtInf', 'Ustrd'], remittance);

  // wellFormed: xmlbuilder2 refuses characters XML cannot carry (text() has refused them already).
  return doc.end({ prettyPrint: true, wellFormed: true });
}
