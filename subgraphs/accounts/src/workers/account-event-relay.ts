import type { StreamDefinition } from '@baas/events';
import { domainEventOutbox, domainEventsStream, startDomainEventRelay, type DomainEventRelayOptions, type DomainOutbox, type OutboxDescriptor, type StartedOutboxRelay } from '@baas/outbox';

/** The accounts subgraph's domain events: accounts.account.<opened|frozen|unfrozen|closed>, accounts.transfer.<completed|failed>. */
export const ACCOUNTS_OUTBOX: DomainOutbox = { schema: 'accounts', table: 'account_event_outbox', subjects: ['accounts.>'], relay: 'accounts-event-relay' };

/** The stream the accounts subgraph's events go to. */
export const accountsEventsStream = (name: string): StreamDefinition => domainEventsStream(ACCOUNTS_OUTBOX, name);

/** accounts.account_event_outbox as an @baas/outbox outbox (JSON payloads, the default envelope). */
export const accountEventOutbox = (stream: StreamDefinition): OutboxDescriptor => domainEventOutbox(ACCOUNTS_OUTBOX, stream);

/**
 * Relays the accounts subgraph's events to JetStream (@baas/outbox startDomainEventRelay: one instance at a time holds
 * the relay's lock; never throws, retries while NATS or PostgreSQL is away). Tests pass a stream, a
 * relay name and a subject prefix of their own.
 */
export const startAccountEventRelay = (opts: DomainEventRelayOptions): StartedOutboxRelay => startDomainEventRelay(ACCOUNTS_OUTBOX, opts);
