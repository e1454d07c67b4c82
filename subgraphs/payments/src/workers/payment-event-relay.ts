import type { StreamDefinition } from '@baas/events';
import { domainEventOutbox, domainEventsStream, startDomainEventRelay, type DomainEventRelayOptions, type DomainOutbox, type OutboxDescriptor, type StartedOutboxRelay } from '@baas/outbox';

/** Payments' domain events: payments.order.<state>, payments.pix.key.*, payments.pix.charge.*, payments.pix.med.*. */
export const PAYMENTS_OUTBOX: DomainOutbox = { schema: 'payments', table: 'payment_event_outbox', subjects: ['payments.>'], relay: 'payments-event-relay' };

/** The stream payments' events go to. */
export const paymentsEventsStream = (name: string): StreamDefinition => domainEventsStream(PAYMENTS_OUTBOX, name);

/** payments.payment_event_outbox as an @baas/outbox outbox (JSON payloads, the default envelope). */
export const paymentEventOutbox = (stream: StreamDefinition): OutboxDescriptor => domainEventOutbox(PAYMENTS_OUTBOX, stream);

/**
 * Relays payments' events to JetStream (@baas/outbox startDomainEventRelay: one instance at a time holds
 * the relay's lock; never throws, retries while NATS or PostgreSQL is away). Tests pass a stream, a
 * relay name and a subject prefix of their own.
 */
export const startPaymentEventRelay = (opts: DomainEventRelayOptions): StartedOutboxRelay => startDomainEventRelay(PAYMENTS_OUTBOX, opts);
