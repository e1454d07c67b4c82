import { randomUUID } from 'node:crypto';
import type { EventBus } from '@baas/events';
import type { Logger } from '@baas/observability';

/** A one-time code for an e-mail or phone PIX key. Holds the clear destination and the code: never log it. */
export type KeyCodeNotification = {
  tenantId: string;
  customerId: string;
  channel: 'EMAIL' | 'SMS';
  /** The normalised e-mail address or E.164 phone number (the key itself). */
  to: string;
  /** The 6-digit code. */
  code: string;
  /** The key waiting for it. */
  keyId: string;
  /** When the code stops working. */
  expiresAt?: Date;
};

/** Delivers key verification codes. */
export type KeyCodeSender = { send(n: KeyCodeNotification): Promise<void> };

/**
 * identity's notification stream (subgraphs/identity/src/workers/notification-stream.ts, stream
 * IDENTITY_NOTIFY, subjects `identity.notify.<email|sms>.<tenantId>`): subgraphs never import each
 * other, so its name and subject shape are repeated here. identity provisions the stream.
 */
export const IDENTITY_NOTIFY_STREAM_NAME = 'IDENTITY_NOTIFY';
export const PIX_KEY_CODE_TEMPLATE = 'pix-key-code';
const subjectFor = (channel: 'EMAIL' | 'SMS', tenantId: string) => `identity.notify.${channel === 'EMAIL' ? 'email' : 'sms'}.${tenantId}`;

/**
 * Sends the codes through identity's notification stream, like identity's own sign-in codes: the
 * providers consuming `identity.notify.>` deliver them, and in development identity's sink serves
 * them at GET /dev/notifications?to=<destination>. The payload has identity's shape (template
 * 'pix-key-code', channel, to, tenantId, customerId, code, expiresAt) with the key id as
 * `challengeId` (the sink keeps a code only beside a challengeId). Published directly (no outbox):
 * a failed publish throws, and the caller lets the client ask again. Logs carry the key id only.
 */
export function createKeyCodeSender(opts: { bus: Pick<EventBus, 'publish'>; logger?: Logger }): KeyCodeSender {
  return {
    async send(n) {
      const data = {
        template: PIX_KEY_CODE_TEMPLATE,
        channel: n.channel,
        to: n.to,
        tenantId: n.tenantId,
        customerId: n.customerId,
        challengeId: n.keyId,
        code: n.code,
        ...(n.expiresAt ? { expiresAt: n.expiresAt.toISOString() } : {}),
      };
      try {
        await opts.bus.publish(subjectFor(n.channel, n.tenantId), { id: randomUUID(), type: 'identity.notify', data }, { expectedStream: IDENTITY_NOTIFY_STREAM_NAME });
      } catch (error) {
        opts.logger?.warn({ keyId: n.keyId, channel: n.channel, err: { name: (error as Error)?.name, message: (error as Error)?.message } }, 'pix key code: publish failed');
        throw error;
      }
    },
  };
}
