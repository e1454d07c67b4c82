import { DomainError } from '@baas/errors';

/**
 * PIX refunds (devolução), pure rules: a received payment may be refunded in part and more than once, within 90
 * days of its settlement, the refunds never summing above the original. Amounts are bigint centavos.
 *
 * Refusals (details never carry bigints, which JSON cannot hold: amounts are decimal strings of minor units):
 * - INVALID_AMOUNT: BAD_USER_INPUT, field 'amount': the requested amount is not positive.
 * - REFUND_EXCEEDS_ORIGINAL: BAD_USER_INPUT, field 'amount', with `remaining` (what may still be refunded).
 * - REFUND_WINDOW_EXPIRED: CONFLICT, with `deadline` (ISO 8601).
 * - NOT_SETTLED: CONFLICT: the payment has not settled yet (now is before settledAt).
 */

export const REFUND_WINDOW_DAYS = 90;
const DAY_MS = 86_400_000;

/** Reason codes of a devolução (pacs.004): operational error, fraud, customer's request, withdrawal/change. */
export const REFUND_REASONS = ['BE08', 'FR01', 'MD06', 'SL02'] as const;
export type RefundReason = (typeof REFUND_REASONS)[number];

export type RefundRequest = {
  /** The amount received, centavos. */
  readonly original: bigint;
  /** Refunds already accepted (pending or done) against it. */
  readonly refunded: readonly bigint[];
  readonly settledAt: Date;
  readonly now: Date;
  readonly requested: bigint;
};

export type RefundRefusalReason = 'INVALID_AMOUNT' | 'REFUND_EXCEEDS_ORIGINAL' | 'REFUND_WINDOW_EXPIRED' | 'NOT_SETTLED';
export type RefundDecision =
  | { readonly ok: true; /** What may still be refunded after this one. */ readonly remaining: bigint }
  | { readonly ok: false; readonly reason: RefundRefusalReason; readonly error: DomainError };

export function isRefundReason(value: unknown): value is RefundReason {
  return typeof value === 'string' && (REFUND_REASONS as readonly string[]).includes(value);
}

/** The last instant a refund may be requested: settledAt + 90 days (inclusive). */
export function refundDeadline(settledAt: Date): Date {
  return new Date(settledAt.getTime() + REFUND_WINDOW_DAYS * DAY_MS);
}

function assertInput(input: RefundRequest): void {
  const bad = (field: string) => new DomainError('BAD_USER_INPUT', `${field} is not valid.`, { field, reason: 'INVALID_REFUND_INPUT' });
  if (typeof input.original !== 'bigint' || input.original <= 0n) throw bad('original');
  if (!Array.isArray(input.refunded) || input.refunded.some((r) => typeof r !== 'bigint' || r <= 0n)) throw bad('refunded');
  for (const field of ['settledAt', 'now'] as const) {
    const value = input[field];
    if (!(value instanceof Date) || Number.isNaN(value.getTime())) throw bad(field);
  }
  if (typeof input.requested !== 'bigint') throw bad('amount');
}

/** What may still be refunded of `original` after `refunded` (never negative). */
export function refundableRemaining(original: bigint, refunded: readonly bigint[]): bigint {
  const left = original - refunded.reduce((sum, r) => sum + r, 0n);
  return left > 0n ? left : 0n;
}

/** Whether a refund of `requested` may be made now; a refusal carries its reason and the client-facing error. */
export function refundable(input: RefundRequest): RefundDecision {
  assertInput(input);
  const refuse = (reason: RefundRefusalReason, error: DomainError): RefundDecision => ({ ok: false, reason, error });
  if (input.requested <= 0n) {
    return refuse('INVALID_AMOUNT', new DomainError('BAD_USER_INPUT', 'A refund amount must be positive.', { field: 'amount', reason: 'INVALID_AMOUNT' }));
  }
  if (input.now.getTime() < input.settledAt.getTime()) {
    return refuse('NOT_SETTLED', new DomainError('CONFLICT', 'The payment has not settled yet.', { reason: 'NOT_SETTLED' }));
  }
  const deadline = refundDeadline(input.settledAt);
  if (input.now.getTime() > deadline.getTime()) {
    return refuse('REFUND_WINDOW_EXPIRED', new DomainError('CONFLICT', `A PIX payment can be refunded up to ${REFUND_WINDOW_DAYS} days after it settled.`, { reason: 'REFUND_WINDOW_EXPIRED', deadline: deadline.toISOString() }));
  }
  const remaining = refundableRemaining(input.original, input.refunded);
  if (input.requested > remaining) {
    return refuse('REFUND_EXCEEDS_ORIGINAL', new DomainError('BAD_USER_INPUT', 'The refunds would sum above the original payment.', { field: 'amount', reason: 'REFUND_EXCEEDS_ORIGINAL', remaining: remaining.toString() }));
  }
  return { ok: true, remaining: remaining - input.requested };
}

/** refundable, throwing the refusal's DomainError; returns what remains refundable after this refund. */
export function assertRefundable(input: RefundRequest): bigint {
  const decision = refundable(input);
  if (!decision.ok) throw decision.error;
  return decision.remaining;
}
