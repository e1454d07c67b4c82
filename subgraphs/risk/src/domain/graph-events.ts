/**
 * The events that feed the risk graph, parsed from their JSON payloads (pure: no I/O). A payload
 * that cannot be parsed is `null` (the consumer drops it: retrying cannot fix it). Identifier
 * values that look like clear personal data are dropped, never stored.
 */

export const IDENTIFIER_KINDS = ['DEVICE', 'IP', 'PHONE', 'EMAIL', 'PIX_KEY'] as const;
export type IdentifierKind = (typeof IDENTIFIER_KINDS)[number];
export type Identifier = { kind: IdentifierKind; value: string };

/** A posted ledger transfer: money left `payerAccountId` (the debit side) for `payeeAccountId`. */
export type PaymentEvent = {
  eventId: string;
  transferId: string;
  payerAccountId: string;
  payeeAccountId: string;
  amount: bigint;
  currency: string;
  at: Date;
};

/** What the scoring path saw: a customer, the account it moved money from, its identifiers. */
export type ObservedEvent = {
  eventId: string;
  tenantId: string;
  customerId: string;
  accountId: string | null;
  identifiers: Identifier[];
  /** Identifiers dropped: malformed, repeated, past the first 64, or looking like clear personal data. */
  dropped: number;
  at: Date;
};

const ID = /^[A-Za-z0-9][A-Za-z0-9_.:-]{0,127}$/;
const CURRENCY = /^[A-Z]{3}$/;
const AMOUNT = /^[0-9]{1,39}$/;
/** Blind indexes and hashes: base64/base64url/hex text of at least 16 characters. */
const HASHED = /^[A-Za-z0-9_\-+/=]{16,256}$/;
const DEVICE = /^[\x21-\x7e]{1,256}$/;
const IPV4 = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})$/;
const IPV6 = /^[0-9a-fA-F:]{2,45}$/;

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);
const str = (v: unknown, re: RegExp): string | null => (typeof v === 'string' && re.test(v) ? v : null);

function date(v: unknown): Date | null {
  if (typeof v !== 'string') return null;
  const d = new Date(v);
  return Number.isNaN(d.getTime()) ? null : d;
}

/** The identifier as stored, or null when it is malformed or could be clear PII (an e-mail, a phone number). */
export function normalizeIdentifier(raw: unknown): Identifier | null {
  if (!isObject(raw)) return null;
  const kind = raw.kind;
  if (typeof kind !== 'string' || !(IDENTIFIER_KINDS as readonly string[]).includes(kind)) return null;
  const value = raw.value;
  if (typeof value !== 'string') return null;
  switch (kind as IdentifierKind) {
    case 'DEVICE':
      return DEVICE.test(value) ? { kind: 'DEVICE', value } : null;
    case 'IP': {
      const v4 = IPV4.exec(value);
      if (v4) return v4.slice(1).every((o) => Number(o) <= 255) ? { kind: 'IP', value } : null;
      return IPV6.test(value) && value.includes(':') ? { kind: 'IP', value: value.toLowerCase() } : null;
    }
    default:
      // Phones, e-mails and PIX keys arrive as blind indexes: a value with '@' or only digits is clear text.
      return HASHED.test(value) && !/^\+?[0-9]+$/.test(value) ? { kind: kind as IdentifierKind, value } : null;
  }
}

/** The payment in a `ledger.transfer.posted` event (subgraphs/ledger/src/domain/journal.ts eventPayload). */
export function parseLedgerPosted(eventId: string, data: unknown): PaymentEvent | null {
  if (!isObject(data) || !isObject(data.transfer)) return null;
  const t = data.transfer;
  const transferId = str(t.id, ID);
  const payerAccountId = str(t.debitAccountId, ID);
  const payeeAccountId = str(t.creditAccountId, ID);
  const amount = str(t.amount, AMOUNT);
  const currency = str(t.currency, CURRENCY);
  const at = date(data.occurredAt);
  if (!transferId || !payerAccountId || !payeeAccountId || !amount || !currency || !at) return null;
  if (payerAccountId === payeeAccountId) return null;
  return { eventId, transferId, payerAccountId, payeeAccountId, amount: BigInt(amount), currency, at };
}

/** A `risk.observed.*` event: {tenantId, customerId, accountId?, identifiers[], at?}. */
export function parseObserved(eventId: string, occurredAt: string, data: unknown): ObservedEvent | null {
  if (!isObject(data)) return null;
  const tenantId = str(data.tenantId, ID);
  const customerId = str(data.customerId, ID);
  const accountId = data.accountId === undefined || data.accountId === null ? null : str(data.accountId, ID);
  const at = date(data.at ?? occurredAt);
  if (!tenantId || !customerId || at === null) return null;
  if (accountId === null && data.accountId !== undefined && data.accountId !== null) return null;
  const raw = Array.isArray(data.identifiers) ? data.identifiers : [];
  const seen = new Set<string>();
  const identifiers: Identifier[] = [];
  for (const r of raw.slice(0, 64)) {
    const id = normalizeIdentifier(r);
    if (!id || seen.has(identifierKey(id))) continue;
    seen.add(identifierKey(id));
    identifiers.push(id);
  }
  return { eventId, tenantId, customerId, accountId, identifiers, dropped: raw.length - identifiers.length, at };
}

/** The graph key of an identifier node. */
export const identifierKey = (i: Identifier): string => `${i.kind}:${i.value}`;

/** The kinds identity publishes (phones and e-mails as blind indexes, passkeys as SHA-256 digests). */
const IDENTITY_KINDS: readonly IdentifierKind[] = ['PHONE', 'EMAIL', 'DEVICE'];

/**
 * An `identity.events.customer.identifiers` event: {tenantId, customerId, identifiers[], at}, the
 * same shape as an observed event without an account; kinds other than PHONE, EMAIL and DEVICE,
 * and values that look like clear personal data, are dropped.
 */
export function parseIdentityIdentifiers(eventId: string, occurredAt: string, data: unknown): ObservedEvent | null {
  if (!isObject(data)) return null;
  const parsed = parseObserved(eventId, occurredAt, { ...data, accountId: null });
  if (!parsed) return null;
  const identifiers = parsed.identifiers.filter((i) => IDENTITY_KINDS.includes(i.kind));
  return { ...parsed, identifiers, dropped: parsed.dropped + parsed.identifiers.length - identifiers.length };
}
