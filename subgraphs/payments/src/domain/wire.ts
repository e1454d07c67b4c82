import { electronicFormatIBAN, extractIBAN, friendlyFormatIBAN, isValidBIC, isValidIBAN } from 'ibantools';
import { badInput } from '@baas/errors';
import { getCurrency, isCurrencyCode } from '@baas/money';

/**
 * International wires (pure): IBAN / BIC validation through `ibantools`, and an ISO 20022
 * pacs.008.001.08 (FIToFICustomerCreditTransfer) message for one transaction.
 *
 * The XML is built as a tree of elements whose names are constants of this module; every text node
 * and attribute value is escaped when serialised (no caller value is ever concatenated into markup),
 * and characters XML 1.0 cannot carry are refused. The amount is written exactly from bigint minor
 * units with the currency's ISO 4217 exponent (from @baas/money), never through a float.
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

// ---- a tiny XML writer ----

type XmlElement = { readonly name: string; readonly attrs?: Readonly<Record<string, string>>; readonly children: readonly XmlElement[] | string };

// XML 1.0 Char: #x9 | #xA | #xD | [#x20-#xD7FF] | [#xE000-#xFFFD] | [#x10000-#x10FFFF]
const NOT_XML_CHAR = /[^\t\n\r\u0020-\uD7FF\uE000-\uFFFD\u{10000}-\u{10FFFF}]/u;

/** Escapes a text node or attribute value. */
export function escapeXml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&apos;' })[c]!);
}

function serialise(el: XmlElement, indent: string): string {
  const attrs = Object.entries(el.attrs ?? {}).map(([k, v]) => ` ${k}="${escapeXml(v)}"`).join('');
  if (typeof el.children === 'string') return `${indent}<${el.name}${attrs}>${escapeXml(el.children)}</${el.name}>\n`;
  const inner = el.children.map((c) => serialise(c, indent + '  ')).join('');
  return `${indent}<${el.name}${attrs}>\n${inner}${indent}</${el.name}>\n`;
}

const el = (name: string, children: readonly XmlElement[] | string, attrs?: Record<string, string>): XmlElement => ({ name, children, ...(attrs ? { attrs } : {}) });

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

function party(prefix: 'Dbtr' | 'Cdtr', p: WireParty, field: string): XmlElement[] {
  const name = text(p?.name, `${field}.name`, 140);
  const iban = parseIban(p?.iban, `${field}.iban`).iban;
  const bic = parseBic(p?.bic, `${field}.bic`);
  return [
    el(prefix, [el('Nm', name)]),
    el(`${prefix}Acct`, [el('Id', [el('IBAN', iban)])]),
    el(`${prefix}Agt`, [el('FinInstnId', [el('BICFI', bic)])]),
  ];
}

/** The pacs.008.001.08 document for one customer credit transfer (charges shared, SHAR). */
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
  const [dbtr, dbtrAcct, dbtrAgt] = party('Dbtr', input.debtor, 'debtor');
  const [cdtr, cdtrAcct, cdtrAgt] = party('Cdtr', input.creditor, 'creditor');
  const remittance = input.remittanceInfo === undefined ? [] : [el('RmtInf', [el('Ustrd', text(input.remittanceInfo, 'remittanceInfo', 140))])];

  const doc = el('Document', [
    el('FIToFICstmrCdtTrf', [
      el('GrpHdr', [
        el('MsgId', msgId),
        el('CreDtTm', input.createdAt.toISOString()),
        el('NbOfTxs', '1'),
        el('SttlmInf', [el('SttlmMtd', 'INDA')]),
      ]),
      el('CdtTrfTxInf', [
        el('PmtId', [el('EndToEndId', endToEndId)]),
        el('IntrBkSttlmAmt', minorUnitsToDecimal(input.amount, exponent), { Ccy: input.currency }),
        el('ChrgBr', 'SHAR'),
        dbtr!, dbtrAcct!, dbtrAgt!,
        cdtrAgt!,
        cdtr!, cdtrAcct!,
        ...remittance,
      ]),
    ]),
  ], { xmlns: PACS008_NAMESPACE });
  return `<?xml version="1.0" encoding="UTF-8"?>\n${serialise(doc, '')}`;
}
