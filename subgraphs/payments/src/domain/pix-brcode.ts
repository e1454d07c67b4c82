import { DomainError } from '@baas/errors';
import { formatMoney, money } from '@baas/money';
import { createDynamicPix, createStaticPix, hasError, isDynamicPix, isStaticPix, parsePix } from 'pix-utils';
import { computeCRC } from 'pix-utils/dist/main/crc';
import { parseAnyPixKey } from './pix-keys';
import { isValidTxid } from './pix-ids';

/**
 * PIX BR Codes (EMV MPM, pure): static and dynamic payloads built and parsed with pix-utils (TLV, CRC16-CCITT).
 *
 * pix-utils carries amounts as JavaScript numbers; here amounts are bigint centavos and never pass through a
 * float: the builder has pix-utils make the payload without field 54, then inserts the exact decimal string
 * ("10.50") after field 53 and recomputes the CRC with pix-utils' computeCRC; the parser reads field 54's text.
 *
 * Limits (EMV / BCB manual): merchant name 1-25 and city 1-15 printable ASCII (accents are dropped and letters
 * upper-cased, as pix-utils does); field 26 (GUI + key or URL + description) at most 99 characters; amount at
 * most 13 characters (R$ 9,999,999,999.99); static txid 1-25 alphanumerics or '***'; the location URL is written
 * without its scheme.
 *
 * Refusals: BAD_USER_INPUT with details { field, reason }: when building, reason INVALID_BR_CODE_INPUT (or
 * INVALID_PIX_KEY / INVALID_TXID); when parsing, BAD_CRC (the checksum does not match) or MALFORMED_BR_CODE.
 */

export type StaticBrCodeInput = {
  readonly key: string;
  readonly merchantName: string;
  readonly merchantCity: string;
  /** Minor units of BRL (centavos); absent: the payer types the amount. */
  readonly amount?: bigint;
  readonly txid?: string;
  readonly description?: string;
};
export type DynamicBrCodeInput = {
  /** Where the charge's JWS is served, e.g. "pix.example.com/qr/v2/9d36b84f" (a leading "https://" is dropped). */
  readonly locationUrl: string;
  readonly merchantName: string;
  readonly merchantCity: string;
  /** Field 01 = "12" (single use); default true. */
  readonly oneTime?: boolean;
};
export type ParsedBrCode = {
  readonly kind: 'STATIC' | 'DYNAMIC';
  readonly key?: string;
  readonly amount?: bigint;
  readonly txid?: string;
  readonly location?: string;
  readonly description?: string;
  readonly merchantName: string;
  readonly merchantCity: string;
  readonly oneTime: boolean;
};

export const MAX_BR_CODE_AMOUNT = 999_999_999_999n;
const MAX_PAYLOAD = 512;
const PRINTABLE = /^[\x20-\x7E]*$/;
const GUI_FIELD_LENGTH = '0014br.gov.bcb.pix'.length;

const inputError = (field: string, message: string, reason = 'INVALID_BR_CODE_INPUT') => new DomainError('BAD_USER_INPUT', message, { field, reason });
const malformed = (message = 'The BR Code is malformed.') => new DomainError('BAD_USER_INPUT', message, { field: 'payload', reason: 'MALFORMED_BR_CODE' });

/** Centavos as the BR Code writes them: "10.50", "0.05". Exact (string arithmetic). */
export function formatBrCodeAmount(amount: bigint): string {
  if (typeof amount !== 'bigint' || amount <= 0n || amount > MAX_BR_CODE_AMOUNT) throw inputError('amount', 'The amount must be 1 to 999999999999 centavos.');
  return formatMoney(money(amount, 'BRL'));
}

/** Field 54's text ("10.5", "10.50", "10") as centavos, exactly; null unless it is a positive amount of at most 2 decimals. */
export function parseBrCodeAmount(text: string): bigint | null {
  const m = /^(\d{1,13})(?:\.(\d{0,2}))?$/.exec(text);
  if (!m || text.length > 13) return null;
  const cents = BigInt(m[1] ?? '0') * 100n + BigInt((m[2] ?? '').padEnd(2, '0'));
  return cents > 0n ? cents : null;
}

/** Normalises a name or city as pix-utils does (accents dropped, upper-case) and checks the EMV limits. */
function emvText(value: string, field: string, max: number): string {
  const text = typeof value === 'string' ? value.normalize('NFD').replace(/[\u0300-\u036f]/g, '').toUpperCase() : '';
  if (text.trim().length === 0 || text.length > max || !PRINTABLE.test(text)) throw inputError(field, `${field} must be 1 to ${max} ASCII characters.`);
  return text;
}

type Field = { readonly id: string; readonly start: number; readonly end: number; readonly value: string };

/** The top-level TLV fields of a payload (id, start, end), or null when the lengths do not tile it exactly. */
function fieldsOf(payload: string): Field[] | null {
  const fields: Field[] = [];
  let at = 0;
  while (at < payload.length) {
    const head = payload.slice(at, at + 4);
    if (!/^\d{4}$/.test(head)) return null;
    const length = Number(head.slice(2));
    const end = at + 4 + length;
    if (length === 0 || end > payload.length) return null;
    fields.push({ id: head.slice(0, 2), start: at, end, value: payload.slice(at + 4, end) });
    at = end;
  }
  return fields;
}

/** Inserts field 54 after field 53 of a pix-utils payload and recomputes the CRC (pix-utils' computeCRC). */
function withAmount(payload: string, amount: string): string {
  const fields = fieldsOf(payload);
  const currency = fields?.find((f) => f.id === '53');
  if (!fields || !currency || fields.at(-1)?.id !== '63') throw new Error('pix-utils produced an unexpected payload');
  const body = payload.slice(0, currency.end) + `54${String(amount.length).padStart(2, '0')}${amount}` + payload.slice(currency.end, payload.length - 4);
  return body + computeCRC(body);
}

/** A static BR Code: the receiver's DICT key, optional fixed amount, txid and description. */
export function buildStaticBrCode(input: StaticBrCodeInput): string {
  const key = parseAnyPixKey(input.key, 'key').value;
  const merchantName = emvText(input.merchantName, 'merchantName', 25);
  const merchantCity = emvText(input.merchantCity, 'merchantCity', 15);
  const txid = input.txid ?? '***';
  if (!isValidTxid(txid, 'STATIC')) throw inputError('txid', "A static BR Code's txid is 1 to 25 letters or digits, or '***'.", 'INVALID_TXID');
  // pix-utils' computeCRC strips anything that looks like '6304' + 4 characters at the end, recursively, so a
  // txid (the field just before the CRC) ending in '6304' gets a wrong checksum (and such codes parse as BAD_CRC).
  if (txid.endsWith('6304')) throw inputError('txid', "A static BR Code's txid may not end in '6304'.", 'INVALID_TXID');
  const description = input.description;
  if (description !== undefined && (description.length === 0 || !PRINTABLE.test(description))) throw inputError('description', 'The description must be ASCII.');
  const mai = GUI_FIELD_LENGTH + 4 + key.length + (description ? 4 + description.length : 0);
  if (mai > 99) throw inputError('description', 'The key and description are too long for one BR Code (field 26 holds 99 characters).');
  const amount = input.amount === undefined ? undefined : formatBrCodeAmount(input.amount);
  const pix = createStaticPix({ merchantName, merchantCity, pixKey: key, transactionAmount: 0, txid, ...(description ? { infoAdicional: description } : {}) });
  if (hasError(pix)) throw new Error(`pix-utils refused a checked static BR Code: ${pix.message}`);
  return amount === undefined ? pix.toBRCode() : withAmount(pix.toBRCode(), amount);
}

/** Strips "https://" and checks the location fits field 26 (77 characters, printable ASCII, no spaces). */
export function normaliseLocation(locationUrl: string): string {
  const location = typeof locationUrl === 'string' ? locationUrl.replace(/^https:\/\//i, '') : '';
  if (!/^[\x21-\x7E]{1,77}$/.test(location) || location.includes('://')) throw inputError('locationUrl', 'The location is an https URL of at most 77 characters (without the scheme).');
  return location;
}

/** A dynamic BR Code: the location of the charge's payload (the amount and txid are in the JWS served there). */
export function buildDynamicBrCode(input: DynamicBrCodeInput): string {
  const url = normaliseLocation(input.locationUrl);
  const merchantName = emvText(input.merchantName, 'merchantName', 25);
  const merchantCity = emvText(input.merchantCity, 'merchantCity', 15);
  const pix = createDynamicPix({ merchantName, merchantCity, url, oneTime: input.oneTime ?? true });
  if (hasError(pix)) throw new Error(`pix-utils refused a checked dynamic BR Code: ${pix.message}`);
  return pix.toBRCode();
}

/** Parses and verifies a BR Code (copy-and-paste text or a QR's content). */
export function parseBrCode(payload: string): ParsedBrCode {
  if (typeof payload !== 'string') throw malformed();
  const text = payload.trim();
  if (text.length === 0 || text.length > MAX_PAYLOAD || !PRINTABLE.test(text)) throw malformed();
  const fields = fieldsOf(text);
  const last = fields?.at(-1);
  if (!fields || fields[0]?.id !== '00' || fields[0].value !== '01' || last?.id !== '63' || !/^[0-9A-Fa-f]{4}$/.test(last.value)) throw malformed();
  const tag = (id: string) => fields.find((f) => f.id === id)?.value;
  if (tag('53') !== '986') throw malformed('The BR Code is not in BRL.');
  let pix: ReturnType<typeof parsePix>;
  try {
    pix = parsePix(text);
  } catch {
    throw malformed();
  }
  if (hasError(pix)) {
    if (pix.message === 'invalid crc') throw new DomainError('BAD_USER_INPUT', 'The BR Code checksum (CRC) is wrong.', { field: 'payload', reason: 'BAD_CRC' });
    throw malformed();
  }
  if (!isStaticPix(pix) && !isDynamicPix(pix)) throw malformed('This kind of BR Code is not supported.');
  if (!pix.merchantName || !pix.merchantCity) throw malformed();
  const base = { merchantName: pix.merchantName, merchantCity: pix.merchantCity, oneTime: tag('01') === '12' };
  if (isDynamicPix(pix)) {
    if (!pix.url) throw malformed();
    return { kind: 'DYNAMIC', location: pix.url.replace(/^https:\/\//i, ''), ...base };
  }
  if (!pix.pixKey) throw malformed();
  const amountText = tag('54');
  const amount = amountText === undefined ? undefined : parseBrCodeAmount(amountText);
  if (amount === null) throw malformed('The BR Code amount is malformed.');
  return {
    kind: 'STATIC',
    key: pix.pixKey,
    ...(amount !== undefined ? { amount } : {}),
    ...(pix.txid && pix.txid !== '***' ? { txid: pix.txid } : {}),
    ...(pix.infoAdicional ? { description: pix.infoAdicional } : {}),
    ...base,
  };
}
