import { randomUUID } from 'node:crypto';
import type { EventBus } from '@baas/events';
import type { ChallengeCodeSender } from './challenge-deps';

/**
 * identity's notification stream (subgraphs/identity/src/workers/notification-stream.ts, stream
 * IDENTITY_NOTIFY, subjects `identity.notify.<email|sms>.<tenantId>`), as payments' PIX key codes use it:
 * subgraphs never import each other, so the name and subject shape are repeated here.
 */
export const IDENTITY_NOTIFY_STREAM_NAME = 'IDENTITY_NOTIFY';
export const CARD_CHALLENGE_CODE_TEMPLATE = 'card-3ds-code';

/** Where a cardholder's codes go: the channel and the destination identity's providers deliver to. */
export type ChallengeCodeDestination = { channel: 'EMAIL' | 'SMS'; to: string };

type Log = { warn(obj: Record<string, unknown>, msg: string): void };

/**
 * Sends 3-D Secure codes through identity's notification stream, like identity's sign-in codes and
 * payments' PIX key codes: the providers consuming `identity.notify.>` deliver them, and in development
 * identity's sink serves them at GET /dev/notifications?challengeId=<id>. The payload has identity's shape
 * (template 'card-3ds-code', channel, to, tenantId, customerId, challengeId, code, expiresAt) plus what the
 * cardholder is shown (last4, merchant, amount, currency). Published directly (no outbox): a failed
 * publish throws and the challenge is not created. Logs carry the challenge id only, never the code.
 */
export function createChallengeCodeSender(opts: {
  bus: Pick<EventBus, 'publish'>;
  /** The cardholder's destination (identity knows it); null: the code cannot be sent (the challenge is refused). */
  destination(tenantId: string, customerId: string): Promise<ChallengeCodeDestination | null>;
  logger?: Log;
}): ChallengeCodeSender {
  return {
    async send(n) {
      const to = await opts.destination(n.tenantId, n.customerId);
      if (!to) throw new Error('no destination for the cardholder');
      const data = {
        template: CARD_CHALLENGE_CODE_TEMPLATE,
        channel: to.channel,
        to: to.to,
        tenantId: n.tenantId,
        customerId: n.customerId,
        challengeId: n.challengeId,
        code: n.code,
        expiresAt: n.expiresAt.toISOString(),
        last4: n.last4,
        merchant: n.merchant,
        amount: n.amount.toString(),
        currency: n.currency,
      };
      const subject = `identity.notify.${to.channel === 'EMAIL' ? 'email' : 'sms'}.${n.tenantId}`;
      try {
        await opts.bus.publish(subject, { id: randomUUID(), type: 'identity.notify', data }, { expectedStream: IDENTITY_NOTIFY_STREAM_NAME });
      } catch (error) {
        opts.logger?.warn({ challengeId: n.challengeId, err: { name: (error as Error)?.name, message: (error as Error)?.message } }, '3-D Secure code: publish failed');
        throw error;
      }
    },
  };
}
