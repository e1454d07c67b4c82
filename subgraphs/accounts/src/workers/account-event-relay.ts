import type { StreamDefinition } from '@baas/events';
import type { Logger } from '@baas/observability';
import { startOutboxRelay, withSubject, withSubjectPrefix, type OutboxDescriptor, type StartedOutboxRelay } from '@baas/outbox';

/** The accounts subgraph's domain events: accounts.account.<opened|frozen|unfrozen|closed>, accounts.transfer.<completed|failed>. */
export const accountsEventsStream = (name: string): StreamDefinition => ({ name, subjects: ['accounts.>'], duplicateWindowMs: 120_000 });

/** accounts.account_event_outbox as an @baas/outbox outbox (JSON payloads, the default envelope). */
export function accountEventOutbox(stream: StreamDefinition): OutboxDescriptor {
  return { table: 'accounts.account_event_outbox', cursorTable: 'accounts.account_event_outbox_cursor', channel: 'accounts_account_event_outbox', stream };
}

/**
 * Relays the accounts subgraph's events to JetStream (one instance at a time holds the relay's lock;
 * the others stand by). Starts in the background and never throws: while NATS or PostgreSQL is away
 * it retries. Tests pass a stream, a relay name and a subject prefix of their own.
 */
export function startAccountEventRelay(opts: {
  databaseUrl: string;
  natsUrl: string;
  stream: string | StreamDefinition;
  logger: Logger;
  relayName?: string;
  subject?: (stored: string) => string;
  /** EVENTS_SUBJECT_PREFIX: the stream's subjects and every published subject under it. */
  subjectPrefix?: string;
  pollIntervalMs?: number;
}): StartedOutboxRelay {
  const stream = typeof opts.stream === 'string' ? accountsEventsStream(opts.stream) : opts.stream;
  return startOutboxRelay({
    databaseUrl: opts.databaseUrl,
    natsUrl: opts.natsUrl,
    name: 'accounts-event-relay',
    outbox: withSubject(withSubjectPrefix(accountEventOutbox(stream), opts.subjectPrefix), opts.subject),
    logger: opts.logger,
    pollIntervalMs: opts.pollIntervalMs ?? 1000,
    ...(opts.relayName ? { relayName: opts.relayName } : {}),
  });
}
