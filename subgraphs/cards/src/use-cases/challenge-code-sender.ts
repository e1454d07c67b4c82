import type { ChallengeCodeSender } from './challenge-deps';

/** The purpose identity knows 3-D Secure codes by (identity's CUSTOMER_CODE_PURPOSES). */
export const CARD_CHALLENGE_CODE_PURPOSE = 'card-3ds-code';

type Log = { warn(obj: Record<string, unknown>, msg: string): void };

/** Formats minor units with the currency's exponent for the cardholder's message (e.g. BRL 250.00). */
export function displayAmount(amount: bigint, currency: string, exponent: number): string {
  if (exponent === 0) return `${currency} ${amount}`;
  const s = amount.toString().padStart(exponent + 1, '0');
  return `${currency} ${s.slice(0, -exponent)}.${s.slice(-exponent)}`;
}

/**
 * Sends 3-D Secure codes through identity (sendCustomerCode): identity owns the cardholder's e-mail and
 * phone and delivers the code to their own channel through its notification outbox (in development its
 * sink serves it at GET /dev/notifications?challengeId=<id>); cards never learns the address. The
 * cardholder is shown the purchase beside the code (amount, merchant, the card's last4). A failure
 * throws (the challenge is not created); logs carry the challenge id only, never the code.
 */
export function createChallengeCodeSender(opts: {
  identity: { sendCustomerCode(v: { tenantId: string; customerId: string; purpose: string; reference: string; code: string; expiresAt: Date; summary: string }): Promise<unknown> };
  /** The currency's minor-unit exponent (@baas/money getCurrency(code).exponent). */
  exponentOf(currency: string): number;
  logger?: Log;
}): ChallengeCodeSender {
  return {
    async send(n) {
      const summary = `${displayAmount(n.amount, n.currency, opts.exponentOf(n.currency))} at ${n.merchant}, card ending ${n.last4}`;
      try {
        await opts.identity.sendCustomerCode({ tenantId: n.tenantId, customerId: n.customerId, purpose: CARD_CHALLENGE_CODE_PURPOSE, reference: n.challengeId, code: n.code, expiresAt: n.expiresAt, summary });
      } catch (error) {
        opts.logger?.warn({ challengeId: n.challengeId, err: { name: (error as Error)?.name, code: (error as { code?: string })?.code } }, '3-D Secure code: identity did not send it');
        throw error;
      }
    },
  };
}
