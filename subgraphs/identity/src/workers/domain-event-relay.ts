import type { StreamDefinition } from '@baas/events';
import type { Logger } from '@baas/observability';
import { startOutboxRelay, withSubject, type OutboxDescriptor, type StartedOutboxRelay } from '@baas/outbox';
import { IDENTITY_EVENTS_STREAM } from './domain-event-stream';

export type DomainEventRelayOptions = {
  /** The identity database (the relay keeps a pool of two connections). */
  databaseUrl: string;
  natsUrl: string;
  logger: Logger;
  /** Instances sharing a name share the work, one at a time. Default 'jetstream'. */
  relayName?: string;
  /** Default IDENTITY_EVENTS_STREAM; tests pass a stream of their own. */
  stream?: StreamDefinition;
  /** Published subject from the stored one; tests prefix it to stay on their own stream. */
  subject?: (stored: string) => string;
  pollIntervalMs?: number;
  lockRetryMs?: number;
};

export type DomainEventRelay = StartedOutboxRelay;

/**
 * identity.domain_event_outbox as an @baas/outbox outbox: JSON payloads, rows numbered by its
 * trigger, published with the default envelope ({id, type: subject, occurredAt, data}).
 */
export function domainEventOutbox(stream: StreamDefinition = IDENTITY_EVENTS_STREAM, subject?: (stored: string) => string): OutboxDescriptor {
  return withSubject({ table: 'identity.domain_event_outbox', cursorTable: 'identity.domain_event_outbox_cursor', channel: 'identity_domain_event_outbox', stream }, subject);
}

/**
 * Relays identity's domain events to JetStream (stream IDENTITY_EVENTS, provisioned by every
 * instance), one instance at a time; the others stand by. Starts in the background and never
 * throws: while NATS or PostgreSQL is away it retries with capped backoff.
 */
export function startDomainEventRelay(opts: DomainEventRelayOptions): DomainEventRelay {
  return startOutboxRelay({
    databaseUrl: opts.databaseUrl,
    natsUrl: opts.natsUrl,
    name: 'identity-domain-event-relay',
    outbox: domainEventOutbox(opts.stream, opts.subject),
    logger: opts.logger,
    pollIntervalMs: opts.pollIntervalMs ?? 1000,
    ...(opts.relayName ? { relayName: opts.relayName } : {}),
    ...(opts.lockRetryMs ? { lockRetryMs: opts.lockRetryMs } : {}),
  });
}
