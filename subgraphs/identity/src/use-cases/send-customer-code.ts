import type { Identity } from '@baas/auth';
import { badInput, DomainError, notFound } from '@baas/errors';
import { maskEmail, maskPhone, type PiiVault } from '@baas/pii';
import { isUuid } from '@baas/server';
import { piiContext } from '../domain/pii-contexts';
import { CUSTOMER_CODE_PURPOSES, notificationContext, notificationSubject, type CustomerCodeNotice, type CustomerCodePurpose, type NotificationChannel } from '../workers/notification-stream';
import type { IdentityDeps } from './deps';

export type SendCustomerCodeInput = {
  tenantId: string;
  customerId: string;
  purpose: string;
  reference: string;
  code: string;
  expiresAt: Date | string;
  summary?: string | null;
};

export type CustomerCodeDelivery = { channel: NotificationChannel; maskedTo: string };

const CODE = /^\d{6,8}$/;
const SUMMARY = /^[\x20-\x7e\u00a0-\u024f•]{0,200}$/;
const MAX_LIFETIME_MS = 30 * 60_000;

/**
 * Sends a customer a one-time code another service made (internal services only, permissions): a
 * 3-D Secure challenge's. Identity owns the customer's contacts, so the code goes to their own
 * channel (SMS when they have a phone, else e-mail) through the notification outbox, sealed, in one
 * transaction; the caller learns only the channel and the destination masked, never the address.
 * NOT_FOUND when no such customer exists in that tenant (or it is not ACTIVE); CONFLICT
 * NO_CONTACT_CHANNEL when it has neither. Nothing here is logged: the payload holds the code.
 */
export async function sendCustomerCode(deps: Pick<IdentityDeps, 'stores' | 'vault'>, _who: Identity | null, input: SendCustomerCodeInput): Promise<CustomerCodeDelivery> {
  if (!isUuid(input.tenantId) || !isUuid(input.customerId)) throw notFound('Customer');
  if (!(CUSTOMER_CODE_PURPOSES as readonly string[]).includes(input.purpose)) throw badInput(`purpose is one of ${CUSTOMER_CODE_PURPOSES.join(', ')}.`, { field: 'purpose', reason: 'UNKNOWN_PURPOSE' });
  if (!isUuid(input.reference)) throw badInput('reference is a UUID.', { field: 'reference', reason: 'MALFORMED_REFERENCE' });
  if (typeof input.code !== 'string' || !CODE.test(input.code)) throw badInput('code is 6 to 8 digits.', { field: 'code', reason: 'MALFORMED_CODE' });
  const expiresAt = input.expiresAt instanceof Date ? input.expiresAt : new Date(input.expiresAt);
  const now = Date.now();
  if (!Number.isFinite(expiresAt.getTime()) || expiresAt.getTime() <= now || expiresAt.getTime() > now + MAX_LIFETIME_MS) {
    throw badInput('expiresAt is in the next 30 minutes.', { field: 'expiresAt', reason: 'BAD_EXPIRY' });
  }
  const summary = input.summary ?? '';
  if (!SUMMARY.test(summary)) throw badInput('summary is up to 200 printable characters.', { field: 'summary', reason: 'MALFORMED_SUMMARY' });
  const tenantId = input.tenantId.toLowerCase();
  return deps.stores.transaction(async (tx) => {
    const customer = await tx.customers.find(input.customerId.toLowerCase());
    if (!customer || customer.tenantId !== tenantId || customer.status !== 'ACTIVE') throw notFound('Customer');
    const [channel, sealed, field]: [NotificationChannel, string | null, 'phone' | 'email'] = customer.phoneSealed
      ? ['SMS', customer.phoneSealed, 'phone']
      : ['EMAIL', customer.emailSealed, 'email'];
    if (!sealed) throw new DomainError('CONFLICT', 'The customer has no e-mail or phone to send a code to.', { reason: 'NO_CONTACT_CHANNEL' });
    const to = deps.vault.decrypt(sealed, piiContext(field, tenantId));
    const payload: CustomerCodeNotice = {
      template: input.purpose as CustomerCodePurpose,
      channel,
      to,
      tenantId,
      customerId: customer.id,
      challengeId: input.reference.toLowerCase(),
      code: input.code,
      expiresAt: expiresAt.toISOString(),
      summary,
    };
    await tx.outbox.insert({ tenantId, subject: notificationSubject(channel, tenantId), payloadSealed: deps.vault.encrypt(JSON.stringify(payload), notificationContext(tenantId)) });
    return { channel, maskedTo: channel === 'SMS' ? maskPhone(to) : maskEmail(to) };
  });
}
