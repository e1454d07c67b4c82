import type { StreamDefinition } from '@baas/events';
import type { OutboxDescriptor } from './outbox-descriptor';
import { startOutboxRelay, withSubject, withSubjectPrefix, type StartedOutboxRelay, type StartOutboxRelayOptions } from './start-outbox-relay';

/**
 * A subgraph's domain-event outbox, the shape every subgraph that publishes events has:
 * `<schema>.<table>` with its `_cursor` (and `_head`) tables, NOTIFY channel `<schema>_<table>`,
 * relayed to one stream holding `subjects` (e.g. `cards.>`).
 */
export type DomainOutbox = { readonly schema: string; readonly table: string; readonly subjects: readonly string[]; readonly relay: string };

/** The stream a domain's events go to (2-minute de-duplication window on the event id). */
export const domainEventsStream = (outbox: DomainOutbox, name: string): StreamDefinition => ({ name, subjects: [...outbox.subjects], duplicateWindowMs: 120_000 });

/** The outbox as @baas/outbox relays it (JSON payloads, the default envelope). */
export function domainEventOutbox(outbox: DomainOutbox, stream: StreamDefinition): OutboxDescriptor {
  return { table: `${outbox.schema}.${outbox.table}`, cursorTable: `${outbox.schema}.${outbox.table}_cursor`, channel: `${outbox.schema}_${outbox.table}`, stream };
}

export type DomainEventRelayOptions = {
  databaseUrl: string;
  natsUrl: string;
  stream: string | StreamDefinition;
  logger: StartOutboxRelayOptions['logger'];
  relayName?: string;
  /** Rewrites the stored subject as published (tests). */
  subject?: (stored: string) => string;
  /** EVENTS_SUBJECT_PREFIX: the stream's subjects and every published subject under it. */
  subjectPrefix?: string;
  pollIntervalMs?: number;
};

/**
 * Relays a domain's events to JetStream (one instance at a time holds the relay's lock; the others
 * stand by). Starts in the background and never throws: while NATS or PostgreSQL is away it retries.
 */
export function startDomainEventRelay(outbox: DomainOutbox, opts: DomainEventRelayOptions): StartedOutboxRelay {
  const stream = typeof opts.stream === 'string' ? domainEventsStream(outbox, opts.stream) : opts.stream;
  return startOutboxRelay({
    databaseUrl: opts.databaseUrl,
    natsUrl: opts.natsUrl,
    name: outbox.relay,
    outbox: withSubject(withSubjectPrefix(domainEventOutbox(outbox, stream), opts.subjectPrefix), opts.subject),
    logger: opts.logger,
    pollIntervalMs: opts.pollIntervalMs ?? 1000,
    ...(opts.relayName ? { relayName: opts.relayName } : {}),
  });
}
