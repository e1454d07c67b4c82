import { createHash } from 'node:crypto';
import type { StreamDefinition } from '@baas/events';

/**
 * The JetStream stream of identity's domain events (`identity.events.>`), consumed by other
 * subgraphs (risk's graph links customers that share a phone, an e-mail or a passkey). Kept a
 * year, so a new consumer can rebuild from it; the duplicate window turns the relay's at-least-once
 * publishing into storing each outbox row once.
 */
export const IDENTITY_EVENTS_STREAM = {
  name: 'IDENTITY_EVENTS',
  subjects: ['identity.events.>'],
  maxAgeMs: 365 * 24 * 3600_000,
  duplicateWindowMs: 10 * 60_000,
} satisfies StreamDefinition;

export const CUSTOMER_IDENTIFIERS_SUBJECT = 'identity.events.customer.identifiers';

/**
 * A customer's identifiers, NEVER clear personal data: phones and e-mails as the blind indexes
 * identity looks them up by (HMAC with PII_BLIND_INDEX_KEY, bound to field and tenant), passkeys
 * as the SHA-256 hex digest of their credential id.
 */
export type CustomerIdentifier = { kind: 'PHONE' | 'EMAIL' | 'DEVICE'; value: string };

/** The data of `identity.events.customer.identifiers`. */
export type CustomerIdentifiersEvent = {
  tenantId: string;
  customerId: string;
  identifiers: CustomerIdentifier[];
  /** When it happened (ISO 8601). */
  at: string;
};

/** The identifier of a passkey: the SHA-256 hex digest of its credential id (base64url, padding trimmed). */
export function passkeyIdentifier(credentialId: string): CustomerIdentifier {
  return { kind: 'DEVICE', value: createHash('sha256').update(credentialId.replace(/=+$/, '')).digest('hex') };
}

/** The identifiers of a customer's stored blind indexes (those it has). */
export function contactIdentifiers(c: { emailIndex: string | null; phoneIndex: string | null }): CustomerIdentifier[] {
  const out: CustomerIdentifier[] = [];
  if (c.phoneIndex) out.push({ kind: 'PHONE', value: c.phoneIndex });
  if (c.emailIndex) out.push({ kind: 'EMAIL', value: c.emailIndex });
  return out;
}
