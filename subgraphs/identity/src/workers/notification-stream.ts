import type { StreamDefinition } from '@baas/events';

/**
 * The JetStream stream of outgoing notifications (one-time codes, magic links). Messages are only
 * useful for minutes, so they are kept a day; the duplicate window turns the relay's at-least-once
 * publishing into storing each outbox row once (a relay that crashes between publishing and marking
 * the row sent republishes it within the window).
 */
export const IDENTITY_NOTIFY_STREAM = {
  name: 'IDENTITY_NOTIFY',
  subjects: ['identity.notify.>'],
  maxAgeMs: 24 * 3600_000,
  duplicateWindowMs: 2 * 60_000,
} satisfies StreamDefinition;

export type NotificationChannel = 'EMAIL' | 'SMS';

/** `identity.notify.<email|sms>.<tenantId>`: consumers can subscribe per channel, per tenant or both. */
export function notificationSubject(channel: NotificationChannel, tenantId: string): string {
  return `identity.notify.${channel === 'EMAIL' ? 'email' : 'sms'}.${tenantId}`;
}

/** The PII-vault context outbox payloads are sealed under (bound to the tenant). */
export const notificationContext = (tenantId: string) => `notification:${tenantId}`;

/**
 * What a notification carries (the `data` of the published event envelope). It holds the clear
 * destination and, for sign-in, the secret: never log it.
 */
export type OutboxPayload = NotificationPayload | AccountNotice | CustomerCodeNotice;
/** A one-time code another service made (sendCustomerCode): a 3-D Secure challenge's. Holds the clear destination and code: never log it. */
export type CustomerCodeNotice = {
  template: CustomerCodePurpose;
  channel: NotificationChannel;
  to: string;
  tenantId: string;
  customerId: string;
  /** The code's own id (the 3-D Secure challenge), as the development sink filters on it. */
  challengeId: string;
  code: string;
  expiresAt: string;
  /** What the customer is shown beside the code (e.g. the purchase and the card's last digits). */
  summary: string;
};
/** Codes other services may send through identity (sendCustomerCode). */
export const CUSTOMER_CODE_PURPOSES = ['card-3ds-code'] as const;
export type CustomerCodePurpose = (typeof CUSTOMER_CODE_PURPOSES)[number];

/** A one-time code (and maybe a magic link). */
export type NotificationPayload = {
  template: 'sign-in';
  channel: NotificationChannel;
  /** The normalised e-mail address or E.164 phone number. */
  to: string;
  tenantId: string;
  challengeId: string;
  /** The 6-digit one-time code. */
  code: string;
  /** The magic link, when one was asked for (EMAIL only). */
  link?: string;
  /** When the code and the link stop working (ISO 8601). */
  expiresAt: string;
};

/** Security notices to the customer's verified channels: every change of their passkeys. */
export type AccountNoticeTemplate = 'passkey-added' | 'passkey-removed' | 'passkey-recovery-requested' | 'passkey-recovery-cancelled';

export type AccountNotice = {
  template: AccountNoticeTemplate;
  channel: NotificationChannel;
  to: string;
  tenantId: string;
  customerId: string;
  /** When it happened (ISO 8601). */
  at: string;
  /** The passkey's nickname, the recovery's effective time, who acted (customer or operator). */
  details: Record<string, string>;
};
