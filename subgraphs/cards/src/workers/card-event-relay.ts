import type { StreamDefinition } from '@baas/events';
import { domainEventOutbox, domainEventsStream, startDomainEventRelay, type DomainEventRelayOptions, type DomainOutbox, type OutboxDescriptor, type StartedOutboxRelay } from '@baas/outbox';

/** The cards subgraph's domain events: cards.card.*, cards.token.*, cards.authorization.*, cards.transaction.*. */
export const CARDS_OUTBOX: DomainOutbox = { schema: 'cards', table: 'card_event_outbox', subjects: ['cards.>'], relay: 'cards-event-relay' };

/** The stream the cards subgraph's events go to. */
export const cardsEventsStream = (name: string): StreamDefinition => domainEventsStream(CARDS_OUTBOX, name);

/** cards.card_event_outbox as an @baas/outbox outbox (JSON payloads, the default envelope). */
export const cardEventOutbox = (stream: StreamDefinition): OutboxDescriptor => domainEventOutbox(CARDS_OUTBOX, stream);

/**
 * Relays the cards subgraph's events to JetStream (@baas/outbox startDomainEventRelay: one instance at a time holds
 * the relay's lock; never throws, retries while NATS or PostgreSQL is away). Tests pass a stream, a
 * relay name and a subject prefix of their own.
 */
export const startCardEventRelay = (opts: DomainEventRelayOptions): StartedOutboxRelay => startDomainEventRelay(CARDS_OUTBOX, opts);
