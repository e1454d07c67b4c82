import type pg from 'pg';
import { connectEvents, type StreamDefinition } from '@baas/events';
import type { Logger, MetricsRegistry } from '@baas/observability';
import { createOutboxRelay, withSubjectPrefix, type OutboxDescriptor, type OutboxRelay, type OutboxRelayOptions } from '@baas/outbox';

/**
 * The JetStream stream holding every ledger event. The duplicate window is longer than the events
 * default (2 min) because it is what turns the relay's at-least-once publishing into exactly-once
 * storage: a relay that crashes and restarts (or fails over) within it republishes without storing
 * twice. Each id costs server memory for the window, hence minutes rather than hours.
 */
export const LEDGER_STREAM = {
  name: 'LEDGER',
  subjects: ['ledger.>'],
  duplicateWindowMs: 10 * 60_000,
} satisfies StreamDefinition;

/**
 * ledger.outbox_event as an @baas/outbox outbox. The writer numbers the rows itself (seq = journal
 * seq, gapless, in commit order under the ledger lock), inserts them in the batch's transaction and
 * NOTIFYs `ledger_outbox`; the table is append-only, so no delivery tracking. Payloads are JSON text
 * (the default prepare: envelope id = event_id, type = subject, data = payload with seq, the
 * request's correlation id and traceparent as headers). A payload that is not JSON stops the relay
 * right before it, never skipped.
 */
export const LEDGER_OUTBOX: OutboxDescriptor = {
  table: 'ledger.outbox_event',
  cursorTable: 'ledger.outbox_cursor',
  channel: 'ledger_outbox',
  stream: LEDGER_STREAM,
};

/**
 * The ledger's batch defaults: 2,000 rows per read and 1,000 publishes awaiting their acks at once,
 * so the relay keeps up with the batched writer (one ack round trip per publish caps it near 2,000
 * events/s). Order holds as publishRows describes: a wave leaves in seq order on one connection,
 * the cursor moves over the acknowledged prefix only, and a retry after a failed publish starts at
 * it (later rows of its wave the stream did store are dropped as duplicates by event id).
 */
export const LEDGER_RELAY_BATCH = { batchSize: 2000, maxInFlight: 1000 } as const;

/** The ledger's relay (tests pass a bus and a stream of their own; `subjectPrefix`: EVENTS_SUBJECT_PREFIX). */
export function createLedgerOutboxRelay(opts: Omit<OutboxRelayOptions, 'outbox'> & { subjectPrefix?: string }): OutboxRelay {
  const { subjectPrefix, ...relay } = opts;
  return createOutboxRelay({ ...LEDGER_RELAY_BATCH, ...relay, outbox: withSubjectPrefix(LEDGER_OUTBOX, subjectPrefix) });
}

/**
 * Starts the relay in the background: it connects to NATS itself and keeps retrying, so transfers
 * never wait for NATS and the ledger starts (and keeps writing its outbox) while NATS is down. One
 * instance per relay name publishes at a time; the others stand by.
 */
export function startLedgerOutboxRelay(opts: { pool: pg.Pool; natsUrl: string; streamName: string; logger: Logger; subjectPrefix?: string; metrics?: MetricsRegistry }): Pick<OutboxRelay, 'stats'> & { stop(): Promise<void> } {
  const relay = createLedgerOutboxRelay({
    ...(opts.subjectPrefix ? { subjectPrefix: opts.subjectPrefix } : {}),
    ...(opts.metrics ? { metrics: opts.metrics } : {}),
    pool: opts.pool,
    connect: () => connectEvents({ url: opts.natsUrl, name: 'baas-ledger-relay', logger: opts.logger }),
    streamName: opts.streamName,
    logger: opts.logger,
  });
  const started = relay.start().catch((err: unknown) => opts.logger.error({ err }, 'the outbox relay did not start; transfers keep going to the outbox'));
  return {
    stats: () => relay.stats(),
    async stop() {
      await started;
      await relay.stop();
    },
  };
}
