import { createPool } from '@baas/db';
import { connectEvents, type StreamDefinition } from '@baas/events';
import type { Logger } from '@baas/observability';
import { createOutboxRelay, type OutboxDescriptor } from '@baas/outbox';

/** Payments' domain events: payments.order.<state>, payments.pix.key.*, payments.pix.charge.*, payments.pix.med.*. */
export const paymentsEventsStream = (name: string): StreamDefinition => ({ name, subjects: ['payments.>'], duplicateWindowMs: 120_000 });

/** payments.payment_event_outbox as an @baas/outbox outbox (JSON payloads, the default envelope). */
export function paymentEventOutbox(stream: StreamDefinition): OutboxDescriptor {
  return { table: 'payments.payment_event_outbox', cursorTable: 'payments.payment_event_outbox_cursor', channel: 'payments_payment_event_outbox', stream };
}

/**
 * Relays payments' events to JetStream (one instance at a time holds the relay's lock; the others
 * stand by). Starts in the background and never throws: while NATS or PostgreSQL is away it retries.
 */
export function startPaymentEventRelay(opts: { databaseUrl: string; natsUrl: string; stream: string; logger: Logger }): { stop(): Promise<void> } {
  const pool = createPool(opts.databaseUrl, { max: 2, applicationName: 'baas-payments-event-relay' });
  const relay = createOutboxRelay({
    pool,
    outbox: paymentEventOutbox(paymentsEventsStream(opts.stream)),
    connect: () => connectEvents({ url: opts.natsUrl, name: 'payments-event-relay', logger: opts.logger }),
    logger: opts.logger,
    pollIntervalMs: 1000,
  });
  const started = relay.start();
  return {
    async stop() {
      await started;
      await relay.stop();
      await pool.end();
    },
  };
}
