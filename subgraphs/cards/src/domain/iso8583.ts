/**
 * ISO 8583-shaped network messages, carried as JSON: `{ mti: '0100', elements: { '2': '4000...', '4': '000000001000' } }`.
 * Data elements are keyed by their number and always strings, with the ISO 8583:1987 meanings and lengths;
 * the binary bitmap encoding is not used (the simulator and the issuer both speak JSON).
 *
 * MTIs: 0100/0110 authorisation request/response; 0120/0130 authorisation advice (the network stood in and
 * reports its decision); 0220/0230 financial advice, used for clearing (the 1987 MTI, rather than the 1993
 * file-action 1240); 0400/0410 reversal. The CVV2 travels in private-use element 126 and only in 0100.
 * A verified 3-D Secure challenge's id travels in element 48 (additional data, private use; where
 * Mastercard carries its authentication data) and only in 0100.
 * Responses never carry element 2: they echo the STAN, RRN, amount and currency, so nothing that logs a
 * response ever holds a PAN.
 */
import { getCurrencyByNumericCode } from '@baas/money';
import { checkPanInput } from './pan';
import { parseExpiry } from './expiry';
import type { Channel } from './spend-controls';

export const MTIS = ['0100', '0110', '0120', '0130', '0220', '0230', '0400', '0410'] as const;
export type Mti = (typeof MTIS)[number];
export const DATA_ELEMENTS = ['2', '3', '4', '7', '11', '12', '13', '14', '18', '22', '37', '38', '39', '41', '42', '43', '48', '49', '90', '123', '126'] as const;
export type DataElement = (typeof DATA_ELEMENTS)[number];

/** The wire form. */
export type NetworkMessageJson = { mti: string; elements: Record<string, string> };

export type TransactionType = 'PURCHASE' | 'CASH_WITHDRAWAL' | 'REFUND';
/** DE3 positions 1-2. */
export const TRANSACTION_TYPES: Readonly<Record<string, TransactionType>> = Object.freeze({ '00': 'PURCHASE', '01': 'CASH_WITHDRAWAL', '20': 'REFUND' });
/** DE22 positions 1-2 (PAN entry mode), Visa/Mastercard usage; cash withdrawals are the ATM channel whatever this says. */
export const POS_ENTRY_CHANNELS: Readonly<Record<string, Channel>> = Object.freeze({
  '01': 'ONLINE', // keyed (mail/telephone order)
  '10': 'ONLINE', // credential on file
  '81': 'ONLINE', // e-commerce
  '02': 'MAGSTRIPE',
  '90': 'MAGSTRIPE',
  '05': 'CHIP',
  '07': 'CONTACTLESS',
  '91': 'CONTACTLESS',
});

/** A parsed, validated message: the elements as sent plus what they mean. */
export type NetworkMessage = {
  readonly mti: Mti;
  readonly elements: Readonly<Partial<Record<DataElement, string>>>;
  readonly stan: string;
  readonly transmittedAt: string;
  readonly pan?: string;
  readonly transactionType?: TransactionType;
  readonly amount?: bigint;
  /** ISO 4217 alphabetic code of DE49. */
  readonly currency?: string;
  readonly expiry?: string;
  readonly mcc?: string;
  readonly channel?: Channel;
  readonly rrn?: string;
  readonly approvalCode?: string;
  readonly responseCode?: string;
  readonly terminalId?: string;
  readonly merchantId?: string;
  readonly merchantNameLocation?: string;
  readonly original?: { readonly mti: string; readonly stan: string; readonly transmittedAt: string };
  readonly cvv2?: string;
  /** DE48: the id of the verified 3-D Secure challenge this purchase was authenticated with. */
  readonly challengeId?: string;
  /**
   * DE123: the network token's reference id (our token's id) when a wallet paid: the network detokenised it
   * and sends the card's PAN in DE2 with the token it came from, as Visa's token reference and
   * Mastercard's PAN mapping data do. The issuer still declines a token that is not ACTIVE.
   */
  readonly tokenId?: string;
};

/** Refusal codes: DE39 values ('30' format error, '14' bad PAN, '13' bad amount or currency, '12' unknown transaction). */
export type ParseRefusalCode = '30' | '14' | '13' | '12';
export type ParseNetworkMessageResult =
  | { ok: true; message: NetworkMessage }
  | { ok: false; responseCode: ParseRefusalCode; field: string; reason: string };

const REQUEST_CORE: DataElement[] = ['2', '3', '4', '7', '11', '37', '49'];
const RESPONSE_CORE: DataElement[] = ['3', '4', '7', '11', '37', '39', '49'];
/** Mandatory and optional elements per MTI; any other element is a format error. */
const LAYOUT: Readonly<Record<Mti, { mandatory: DataElement[]; optional: DataElement[] }>> = {
  '0100': { mandatory: [...REQUEST_CORE, '14', '18', '22', '42'], optional: ['12', '13', '41', '43', '48', '123', '126'] },
  '0120': { mandatory: [...REQUEST_CORE, '14', '18', '22', '39', '42'], optional: ['12', '13', '38', '41', '43', '123'] },
  '0220': { mandatory: [...REQUEST_CORE, '18', '42'], optional: ['12', '13', '14', '22', '38', '41', '43', '90'] },
  '0400': { mandatory: [...REQUEST_CORE, '90'], optional: ['12', '13', '14', '18', '22', '38', '39', '41', '42', '43'] },
  '0110': { mandatory: RESPONSE_CORE, optional: ['38', '41', '42'] },
  '0130': { mandatory: RESPONSE_CORE, optional: ['38', '41', '42'] },
  '0230': { mandatory: RESPONSE_CORE, optional: ['38', '41', '42'] },
  '0410': { mandatory: RESPONSE_CORE, optional: ['38', '41', '42'] },
};

/** True for a valid MMDDhhmmss (DE7, and the date-time inside DE90). */
function isTransmissionDateTime(v: string): boolean {
  if (!/^\d{10}$/.test(v)) return false;
  const [mm, dd, hh, mi, ss] = [0, 2, 4, 6, 8].map((i) => Number(v.slice(i, i + 2))) as [number, number, number, number, number];
  return mm >= 1 && mm <= 12 && dd >= 1 && dd <= 31 && hh < 24 && mi < 60 && ss < 60;
}

const ANS = (max: number) => new RegExp(`^[\\x20-\\x7e]{1,${max}}$`);
/** Per element: a validity test and the response code when it fails. Reasons never echo the value. */
const SPEC: Readonly<Record<DataElement, { valid: (v: string) => boolean; code: ParseRefusalCode; reason: string }>> = {
  '2': { valid: (v) => /^\d{8,19}$/.test(v) && checkPanInput(v).ok, code: '14', reason: 'the PAN is not 8-19 digits with a valid check digit' },
  '3': { valid: (v) => /^\d{6}$/.test(v), code: '30', reason: 'the processing code is not 6 digits' },
  '4': { valid: (v) => /^\d{12}$/.test(v), code: '13', reason: 'the amount is not 12 digits of minor units' },
  '7': { valid: isTransmissionDateTime, code: '30', reason: 'the transmission date-time is not MMDDhhmmss' },
  '11': { valid: (v) => /^\d{6}$/.test(v), code: '30', reason: 'the STAN is not 6 digits' },
  '12': { valid: (v) => /^([01]\d|2[0-3])[0-5]\d[0-5]\d$/.test(v), code: '30', reason: 'the local time is not hhmmss' },
  '13': { valid: (v) => /^(0[1-9]|1[0-2])(0[1-9]|[12]\d|3[01])$/.test(v), code: '30', reason: 'the local date is not MMDD' },
  '14': { valid: (v) => parseExpiry(v).ok, code: '30', reason: 'the expiry is not YYMM' },
  '18': { valid: (v) => /^\d{4}$/.test(v), code: '30', reason: 'the MCC is not 4 digits' },
  '22': { valid: (v) => /^\d{3}$/.test(v) && Object.hasOwn(POS_ENTRY_CHANNELS, v.slice(0, 2)), code: '30', reason: 'the POS entry mode is not a known 3-digit mode' },
  '37': { valid: (v) => /^[0-9A-Za-z]{12}$/.test(v), code: '30', reason: 'the RRN is not 12 alphanumerics' },
  '38': { valid: (v) => /^[0-9A-Za-z]{6}$/.test(v), code: '30', reason: 'the approval code is not 6 alphanumerics' },
  '39': { valid: (v) => /^[0-9A-Z]{2}$/.test(v), code: '30', reason: 'the response code is not 2 alphanumerics' },
  '41': { valid: (v) => ANS(8).test(v), code: '30', reason: 'the terminal id is not 1-8 printable characters' },
  '42': { valid: (v) => ANS(15).test(v), code: '30', reason: 'the merchant id is not 1-15 printable characters' },
  '43': { valid: (v) => ANS(40).test(v), code: '30', reason: 'the merchant name/location is not 1-40 printable characters' },
  '48': { valid: (v) => /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/.test(v), code: '30', reason: 'the 3-D Secure challenge id is not a lower-case UUID' },
  '49': { valid: (v) => /^\d{3}$/.test(v), code: '30', reason: 'the currency is not a 3-digit code' },
  '90': {
    valid: (v) => /^\d{20}$/.test(v) && (MTIS as readonly string[]).includes(v.slice(0, 4)) && isTransmissionDateTime(v.slice(10)),
    code: '30',
    reason: 'the original data elements are not original MTI (4) + STAN (6) + MMDDhhmmss (10)',
  },
  '123': { valid: (v) => /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/.test(v), code: '30', reason: 'the token reference is not a lower-case UUID' },
  '126': { valid: (v) => /^\d{3}$/.test(v), code: '30', reason: 'the CVV2 is not 3 digits' },
};

const refuse = (responseCode: ParseRefusalCode, field: string, reason: string): ParseNetworkMessageResult => ({ ok: false, responseCode, field, reason });

function currencyOf(numeric: string): string | undefined {
  try {
    return getCurrencyByNumericCode(numeric).code;
  } catch {
    return undefined;
  }
}

/**
 * Validates a message from the network. Every malformed part is refused with the DE39 code to answer with:
 * '30' for structure, a missing mandatory element or a malformed one, '14' for DE2, '13' for DE4 or an
 * unknown DE49 currency, '12' for an unknown DE3 transaction type. Checks run in element order; never throws.
 */
export function parseNetworkMessage(json: unknown): ParseNetworkMessageResult {
  if (typeof json !== 'object' || json === null || Array.isArray(json)) return refuse('30', 'message', 'the message is not an object');
  const { mti, elements } = json as { mti?: unknown; elements?: unknown };
  if (typeof mti !== 'string' || !(MTIS as readonly string[]).includes(mti)) return refuse('30', 'mti', 'the MTI is missing or not supported');
  if (typeof elements !== 'object' || elements === null || Array.isArray(elements)) return refuse('30', 'elements', 'the data elements are not an object');
  const layout = LAYOUT[mti as Mti];
  const allowed = new Set<string>([...layout.mandatory, ...layout.optional]);
  const raw = elements as Record<string, unknown>;
  for (const key of Object.keys(raw)) {
    if (!allowed.has(key)) return refuse('30', (DATA_ELEMENTS as readonly string[]).includes(key) ? key : 'elements', 'an element not allowed in this message');
  }
  const out: Partial<Record<DataElement, string>> = {};
  for (const de of DATA_ELEMENTS) {
    if (!allowed.has(de)) continue;
    const value = Object.hasOwn(raw, de) ? raw[de] : undefined;
    if (value === undefined) {
      if (layout.mandatory.includes(de)) return refuse('30', de, 'a mandatory element is missing');
      continue;
    }
    const spec = SPEC[de];
    if (typeof value !== 'string' || !spec.valid(value)) return refuse(spec.code, de, spec.reason);
    out[de] = value;
  }
  const typeDigits = out['3']?.slice(0, 2);
  const transactionType = typeDigits !== undefined && Object.hasOwn(TRANSACTION_TYPES, typeDigits) ? TRANSACTION_TYPES[typeDigits] : undefined;
  if (typeDigits !== undefined && transactionType === undefined) return refuse('12', '3', 'the transaction type is not supported');
  const currency = out['49'] === undefined ? undefined : currencyOf(out['49']);
  if (out['49'] !== undefined && currency === undefined) return refuse('13', '49', 'the currency is not a known ISO 4217 numeric code');
  return { ok: true, message: describe(mti as Mti, out, transactionType, currency) };
}

function describe(mti: Mti, e: Partial<Record<DataElement, string>>, transactionType: TransactionType | undefined, currency: string | undefined): NetworkMessage {
  const channel = transactionType === 'CASH_WITHDRAWAL' ? 'ATM' : e['22'] === undefined ? undefined : POS_ENTRY_CHANNELS[e['22'].slice(0, 2)];
  const fields: Record<string, unknown> = {
    mti,
    elements: Object.freeze({ ...e }),
    stan: e['11'],
    transmittedAt: e['7'],
    pan: e['2'],
    transactionType,
    amount: e['4'] === undefined ? undefined : BigInt(e['4']),
    currency,
    expiry: e['14'],
    mcc: e['18'],
    channel,
    rrn: e['37'],
    approvalCode: e['38'],
    responseCode: e['39'],
    terminalId: e['41'],
    merchantId: e['42'],
    merchantNameLocation: e['43'],
    original: e['90'] === undefined ? undefined : { mti: e['90'].slice(0, 4), stan: e['90'].slice(4, 10), transmittedAt: e['90'].slice(10) },
    cvv2: e['126'],
    challengeId: e['48'],
    tokenId: e['123'],
  };
  for (const key of Object.keys(fields)) if (fields[key] === undefined) delete fields[key];
  return fields as NetworkMessage;
}

/** The wire form of a parsed message (its elements as sent). */
export function toNetworkJson(message: NetworkMessage): NetworkMessageJson {
  return { mti: message.mti, elements: { ...message.elements } as Record<string, string> };
}
