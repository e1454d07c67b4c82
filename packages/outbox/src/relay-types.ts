import type pg from 'pg';
import type { EventBus } from '@baas/events';
import type { Logger, MetricsRegistry } from '@baas/observability';
import type { OutboxDescriptor } from './outbox-descriptor';

export type OutboxRelayOptions = {
  pool: pg.Pool;
  outbox: OutboxDescriptor;
  /** A connected bus the caller owns and closes. */
  bus?: EventBus;
  /** Or how to connect one: the relay connects in the background, retries while NATS is away, and closes it on stop. */
  connect?: () => Promise<EventBus>;
  /** Cursor row and lock name: relays of one outbox sharing a name share the work, one at a time. Default 'jetstream'. */
  relayName?: string;
  /** Overrides the descriptor's stream name (tests use a unique one). */
  streamName?: string;
  /** Rows read per query; the cursor is written once per batch. Default 500. */
  batchSize?: number;
  /** Publishes awaiting their ack at once. Default 1: strict order under every failure (see publishRows). */
  maxInFlight?: number;
  /** Each wave as one batch with acks counted in bulk (@baas/events publishBatch); false: one js.publish per row (the benchmarks' baseline). Default true. */
  batchPublish?: boolean;
  /** Fallback poll when no NOTIFY arrives. Default 1000. */
  pollIntervalMs?: number;
  /** How often a relay without the lock tries to take it. Default 5000. */
  lockRetryMs?: number;
  /** First retry delay after a failure, doubled per consecutive failure up to retryMaxMs. Default 200. */
  retryBaseMs?: number;
  /** Default 5000. */
  retryMaxMs?: number;
  /** A gap in seq older than this is logged as a warning (and again each time as long again). Default 10000. */
  gapWarnAfterMs?: number;
  /** With tracking: how often rows behind the cursor that are still unsent are tried again. Default 5000. */
  revisitIntervalMs?: number;
  logger: Logger;
  /** Exports outbox_rows_waiting and outbox_oldest_waiting_age_seconds (labels outbox, relay) on this registry while running. */
  metrics?: MetricsRegistry;
  /** Called after each acknowledged publish, in seq order, before the cursor moves over it (tests kill the process here). */
  onPublished?: (seq: bigint) => void;
};

export type OutboxRelayStats = {
  /** The cursor: every row up to it is acknowledged by JetStream or skipped (as far as this relay knows). */
  lastSeq: bigint;
  /** Publishes acknowledged by this relay (duplicates included). */
  published: number;
  /** Failed attempts (connecting, provisioning the stream, publishing, the database), each followed by a retry. */
  failures: number;
  /** Rows `prepare` skipped (left unsent, retried on revisits). */
  unreadable: number;
  /** Rows after the cursor as of the relay's last read of the outbox (0 for a standby). */
  waiting: number;
  /** Seconds since the oldest of them was written (0 when none waits). */
  oldestAgeSeconds: number;
  /** Whether this relay holds the lock of its outbox and name (false: standby or stopped). */
  active: boolean;
  /** Whether it has a NATS connection with the stream provisioned. */
  connected: boolean;
};

export type OutboxRelay = {
  /** Starts relaying in the background; resolves after the first attempt to take the lock, whether NATS is up or not. */
  start(): Promise<void>;
  /** Finishes the wave in flight, records the cursor, releases the lock, closes a bus it connected. */
  stop(): Promise<void>;
  /** Resolves once this relay has handled every row committed before the call (tests); rejects when it stops first. */
  drain(): Promise<void>;
  stats(): OutboxRelayStats;
};
