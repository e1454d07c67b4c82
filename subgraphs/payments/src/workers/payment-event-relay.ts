import type { StreamDefinition } from '@baas/events';
import type { Logger } from '@baas/observability';
import { startOutboxRelay, withSubject, withSubjectPrefix, type OutboxDescriptor, type StartedOutboxRelay } from '@baas/outbox';

/** Payments' domain events: payments.order.<state>, payments.pix.key.*, payments.pix.charge.*, payments.pix.med.*. */
export const paymentsEventsStream = (name: string): StreamDefinition => ({ name, subjects: ['payments.>'], duplicateWindowMs: 120_000 });

/** payments.payment_event_outbox as an @baas/outbox outbox (JSON payloads, the default envelope). */
export function paymentEventOutbox(stream: StreamDefinition): OutboxDescriptor {
  return { table: 'payments.payment_event_outbox', cursorTable: 'payments.payment_event_outbox_cursor', channel: 'payments_payment_event_outbox', stream };
}

/**
 * Relays payments' events to JetStream (one instance at a time holds the relay's lock; the others
 * stand by). Starts in the background and never throws: while NATS or PostgreSQL is away it retries.
 * Tests pass a stream, a relay name and a subject prefix of their own.
 */
export function startPaymentEventRelay(opts: {
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
  const stream = typeof opts.stream === 'string' ? paymentsEventsStream(opts.stream) : opts.stream;
  return startOutboxRelay({
    databaseUrl: opts.databaseUrl,
    natsUrl: opts.natsUrl,
    name: 'payments-event-relay',
    outbox: withSubject(withSubjectPrefix(paymentEventOutbox(stream), opts.subjectPrefix), opts.subject),
    logger: opts.logger,
    pollIntervalMs: opts.pollIntervalMs ?? 1000,
    ...(opts.relayName ? { relayName: opts.relayName } : {}),
  });
}
