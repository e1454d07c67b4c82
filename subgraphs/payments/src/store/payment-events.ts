import type { Prisma } from '../generated/prisma/client';

/** A payments domain event: `subject` under payments.> (payments.order.settled, payments.pix.key.registered, ...). */
export type PaymentEvent = { eventId: string; subject: string; data: Record<string, unknown> };

/** JSON with bigints as decimal strings (money is never a JSON number). */
export const eventJson = (data: unknown): string => JSON.stringify(data, (_k, v: unknown) => (typeof v === 'bigint' ? v.toString() : v));

/**
 * Appends events to payments.payment_event_outbox inside the caller's transaction: they leave (the
 * relay publishes them to stream PAYMENTS_EVENTS) if and only if the change that caused them commits.
 * A repeated eventId is skipped (the change was already recorded).
 */
export async function appendPaymentEvents(tx: Prisma.TransactionClient, events: readonly PaymentEvent[]): Promise<void> {
  if (events.length === 0) return;
  await tx.paymentEventOutbox.createMany({
    data: events.map((e) => ({ eventId: e.eventId, subject: e.subject, payload: eventJson(e.data) })),
    skipDuplicates: true,
  });
}
