import type { StreamDefinition } from '@baas/events';
import type { Logger } from '@baas/observability';
import { startOutboxRelay, withSubjectPrefix, type OutboxDescriptor, type StartedOutboxRelay } from '@baas/outbox';

/** The cards subgraph's domain events: cards.card.*, cards.authorization.*, cards.transaction.*. */
export const cardsEventsStream = (name: string): StreamDefinition => ({ name, subjects: ['cards.>'], duplicateWindowMs: 120_000 });

/** cards.card_event_outbox as an @baas/outbox outbox (JSON payloads, the default envelope). */
export function cardEventOutbox(stream: StreamDefinition): OutboxDescriptor {
  return { table: 'cards.card_event_outbox', cursorTable: 'cards.card_event_outbox_cursor', channel: 'cards_card_event_outbox', stream };
}

/**
 * Relays the cards subgraph's events to JetStream (one instance at a time holds the relay's lock;
 * the others stand by). Starts in the background and never throws: while NATS or PostgreSQL is away
 * it retries. Tests pass a stream, a relay name and a subject prefix of their own.
 */
export function startCardEventRelay(opts: {
  databaseUrl: string;
  natsUrl: string;
  stream: string | StreamDefinition;
  logger: Logger;
  relayName?: string;
  /** EVENTS_SUBJECT_PREFIX: the stream's subjects and every published subject under it. */
  subjectPrefix?: string;
  pollIntervalMs?: number;
}): StartedOutboxRelay {
  const stream = typeof opts.stream === 'string' ? cardsEventsStream(opts.stream) : opts.stream;
  return startOutboxRelay({
    databaseUrl: opts.databaseUrl,
    natsUrl: opts.natsUrl,
    name: 'cards-event-relay',
    outbox: withSubjectPrefix(cardEventOutbox(stream), opts.subjectPrefix),
    logger: opts.logger,
    pollIntervalMs: opts.pollIntervalMs ?? 1000,
    ...(opts.relayName ? { relayName: opts.relayName } : {}),
  });
}
