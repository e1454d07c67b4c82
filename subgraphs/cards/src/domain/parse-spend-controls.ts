/**
 * Spend controls as a client sends them (GraphQL input or JSON): amounts as decimal strings of minor units,
 * MCCs as 4 digits, countries as ISO 3166-1 alpha-2, channels by name. The first problem found is refused
 * as BAD_USER_INPUT with the field and a stable reason.
 */
import { INT64_MAX } from '@baas/money';
import { AMOUNT_CONTROLS, CHANNELS, type Channel, type ControlField, type SpendControls } from './spend-controls';

export type SpendControlsRefusalReason =
  | 'NOT_AN_OBJECT'
  | 'UNKNOWN_FIELD'
  | 'NOT_A_NON_NEGATIVE_INTEGER'
  | 'AMOUNT_TOO_LARGE'
  | 'NOT_A_LIST'
  | 'TOO_MANY_ENTRIES'
  | 'MALFORMED_MCC'
  | 'MALFORMED_COUNTRY'
  | 'UNKNOWN_CHANNEL'
  | 'EMPTY_ALLOW_LIST'
  | 'ALLOWED_AND_BLOCKED';

export type SpendControlsRefusal = {
  readonly ok: false;
  readonly code: 'BAD_USER_INPUT';
  readonly field: ControlField | 'controls' | string;
  readonly reason: SpendControlsRefusalReason;
  readonly message: string;
};
export type SpendControlsParse = { readonly ok: true; readonly controls: SpendControls } | SpendControlsRefusal;

/** Longest list accepted (there are 10,000 possible MCCs; real lists are a few dozen). */
export const MAX_LIST_ENTRIES = 1000;
const AMOUNT = /^\d{1,19}$/;
const MCC = /^\d{4}$/;
const COUNTRY = /^[A-Z]{2}$/;
const LIST_FIELDS = ['mccAllow', 'mccBlock', 'countriesAllow', 'countriesBlock', 'channels'] as const;
const KNOWN = new Set<string>([...AMOUNT_CONTROLS, ...LIST_FIELDS]);

const refuse = (field: string, reason: SpendControlsRefusalReason, message: string): SpendControlsRefusal => ({
  ok: false,
  code: 'BAD_USER_INPUT',
  field,
  reason,
  message,
});

type Parsed<T> = { ok: true; value: T } | SpendControlsRefusal;

function parseAmountField(field: string, raw: unknown): Parsed<bigint> {
  const text = typeof raw === 'bigint' ? raw.toString() : raw;
  if (typeof text !== 'string' || !AMOUNT.test(text)) {
    return refuse(field, 'NOT_A_NON_NEGATIVE_INTEGER', `${field} is a whole number of minor units written as decimal digits.`);
  }
  const value = BigInt(text);
  if (value > INT64_MAX) return refuse(field, 'AMOUNT_TOO_LARGE', `${field} is at most ${INT64_MAX} minor units.`);
  return { ok: true, value };
}

function parseList(field: (typeof LIST_FIELDS)[number], raw: unknown): Parsed<readonly string[]> {
  if (!Array.isArray(raw)) return refuse(field, 'NOT_A_LIST', `${field} is a list.`);
  if (raw.length > MAX_LIST_ENTRIES) return refuse(field, 'TOO_MANY_ENTRIES', `${field} has at most ${MAX_LIST_ENTRIES} entries.`);
  if (raw.length === 0 && field !== 'mccBlock' && field !== 'countriesBlock') {
    return refuse(field, 'EMPTY_ALLOW_LIST', `An empty ${field} would allow nothing; leave it out, or pause the card.`);
  }
  for (const entry of raw) {
    if (field.startsWith('mcc') && !(typeof entry === 'string' && MCC.test(entry))) {
      return refuse(field, 'MALFORMED_MCC', 'A merchant category code is 4 digits.');
    }
    if (field.startsWith('countries') && !(typeof entry === 'string' && COUNTRY.test(entry))) {
      return refuse(field, 'MALFORMED_COUNTRY', 'A country is an ISO 3166-1 alpha-2 code in capitals, such as "BR".');
    }
    if (field === 'channels' && !(CHANNELS as readonly unknown[]).includes(entry)) {
      return refuse(field, 'UNKNOWN_CHANNEL', `A channel is one of ${CHANNELS.join(', ')}.`);
    }
  }
  return { ok: true, value: [...new Set(raw as string[])] };
}

/** Validates and normalises controls (lists de-duplicated in order; null fields taken as absent). Never throws. */
export function parseSpendControls(input: unknown): SpendControlsParse {
  if (typeof input !== 'object' || input === null || Array.isArray(input)) {
    return refuse('controls', 'NOT_AN_OBJECT', 'Spend controls are an object.');
  }
  const source = input as Record<string, unknown>;
  for (const key of Object.keys(source)) {
    if (!KNOWN.has(key)) return refuse(key.slice(0, 64), 'UNKNOWN_FIELD', 'This is not a spend control.');
  }
  const out: Record<string, unknown> = {};
  for (const field of AMOUNT_CONTROLS) {
    const raw = source[field];
    if (raw === undefined || raw === null) continue;
    const parsed = parseAmountField(field, raw);
    if (!parsed.ok) return parsed;
    out[field] = parsed.value;
  }
  for (const field of LIST_FIELDS) {
    const raw = source[field];
    if (raw === undefined || raw === null) continue;
    const parsed = parseList(field, raw);
    if (!parsed.ok) return parsed;
    out[field] = parsed.value;
  }
  for (const [allow, block] of [['mccAllow', 'mccBlock'], ['countriesAllow', 'countriesBlock']] as const) {
    const blocked = (out[block] as string[] | undefined) ?? [];
    const both = ((out[allow] as string[] | undefined) ?? []).filter((v) => blocked.includes(v));
    if (both.length > 0) return refuse(allow, 'ALLOWED_AND_BLOCKED', `${both.join(', ')} cannot be both allowed and blocked.`);
  }
  return { ok: true, controls: out as SpendControls };
}

/** The controls as strings, the shape parseSpendControls reads (amounts as decimal strings). */
export function formatSpendControls(controls: SpendControls): Record<string, string | readonly string[] | readonly Channel[]> {
  const out: Record<string, string | readonly string[]> = {};
  for (const [field, value] of Object.entries(controls)) {
    if (value !== undefined) out[field] = typeof value === 'bigint' ? value.toString() : (value as readonly string[]);
  }
  return out;
}
