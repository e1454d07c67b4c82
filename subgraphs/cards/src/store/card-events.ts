import type { Prisma } from '../generated/prisma/client';

/**
 * A cards domain event: `subject` under cards.> (cards.card.issued, cards.card.closed, ...,
 * cards.authorization.approved, cards.transaction.captured, ...). `data` names its tenant in
 * `tenantId` (the webhooks fan-out routes on it) and never carries a PAN, a CVV or a secret: only
 * first6/last4.
 */
export type CardEvent = { eventId: string; subject: string; data: Record<string, unknown> };

/** JSON with bigints as decimal strings (money is never a JSON number). */
export const cardEventJson = (data: unknown): string => JSON.stringify(data, (_k, v: unknown) => (typeof v === 'bigint' ? v.toString() : v));

/**
 * Appends events to cards.card_event_outbox inside the caller's transaction: they leave (the relay
 * publishes them to stream CARDS_EVENTS) if and only if the change that caused them commits. A
 * repeated eventId is skipped (the change was already recorded). Insert last in the transaction:
 * the outbox's sequencing trigger holds its head row until commit.
 */
export async function appendCardEvents(tx: Prisma.TransactionClient, events: readonly CardEvent[]): Promise<void> {
  if (events.length === 0) return;
  await tx.cardEventOutbox.createMany({
    data: events.map((e) => ({ eventId: e.eventId, subject: e.subject, payload: cardEventJson(e.data) })),
    skipDuplicates: true,
  });
}
