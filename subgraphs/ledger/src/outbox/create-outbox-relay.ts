import type pg from 'pg';
import type { EventBus } from '@baas/events';
import type { Logger } from '@baas/observability';
import { acquireRelaySession } from './acquire-relay-session';
import type { RelaySession } from './acquire-relay-session';
import { ensureLedgerStream, LEDGER_STREAM } from './ledger-stream';
import { contiguousPrefix, MalformedPayload, SELECT_OUTBOX_ROWS, toOutboxRow } from './outbox-row';
import type { OutboxRow, OutboxRowRecord } from './outbox-row';
import { publishOutboxRows } from './publish-outbox-rows';

export type OutboxRelayOptions = {
  pool: pg.Pool;
  bus: EventBus;
  /** Cursor row and lock name: relays sharing a name share the work, one at a time. Default 'jetstream'. */
  relayName?: string;
  /** Default LEDGER_STREAM.name. */
  streamName?: string;
  /** Rows read per query; the cursor is written once per batch. Default 500. */
  batchSize?: number;
  /**
   * Publishes awaiting their ack at once. Default 1: strict order under every failure. Larger
   * waves publish faster but leave a narrow window for one row to be stored after later ones
   * (see publishOutboxRows), which the relay then logs as an error.
   */
  maxInFlight?: number;
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
  logger: Logger;
  /**
   * Called after each acknowledged publish, in seq order, before the cursor moves over it. Tests
   * use it to kill the process mid-batch.
   */
  onPublished?: (seq: bigint) => void;
};

export type OutboxRelayStats = {
  /** The cursor: every row up to it is acknowledged by JetStream (as far as this relay knows). */
  lastSeq: bigint;
  /** Publishes acknowledged by this relay (duplicates included). */
  published: number;
  /** Failed attempts (publishes, stream provisioning, database), each followed by a retry. */
  failures: number;
  /** Whether this relay holds the lock of its name (false: standby or stopped). */
  active: boolean;
};

export type OutboxRelay = {
  /** Starts relaying in the background; resolves after the first attempt to take the lock. */
  start(): Promise<void>;
  /** Finishes the wave in flight, records the cursor, releases the lock. */
  stop(): Promise<void>;
  /**
   * Resolves once this relay has published every row committed before the call (tests). Never
   * resolves on a standby until it takes over; rejects when the relay stops first.
   */
  drain(): Promise<void>;
  stats(): OutboxRelayStats;
};

const DEFAULTS = {
  relayName: 'jetstream',
  batchSize: 500,
  maxInFlight: 1,
  pollIntervalMs: 1000,
  lockRetryMs: 5000,
  retryBaseMs: 200,
  retryMaxMs: 5000,
  gapWarnAfterMs: 10_000,
};

type DrainWaiter = { target: bigint; resolve: () => void; reject: (error: Error) => void };
type PumpResult = 'more' | 'idle' | 'gap';

class StreamNotReady extends Error {
  constructor(override readonly cause: unknown) {
    super('provisioning the ledger stream failed');
  }
}

class PublishFailed extends Error {
  constructor(
    readonly row: OutboxRow,
    override readonly cause: unknown,
    readonly storedAfter: number,
  ) {
    super(`publishing outbox seq ${row.seq} failed`);
  }
}

/**
 * The relay from ledger.outbox_event to JetStream: publishes committed rows in seq order, moves its
 * cursor over the acknowledged prefix only, and retries the same rows with capped exponential
 * backoff while NATS is away. At-least-once publishing; JetStream drops the repeats by event id
 * within the stream's duplicate window. One relay per name publishes at a time (advisory lock).
 */
export function createOutboxRelay(opts: OutboxRelayOptions): OutboxRelay {
  const cfg = {
    relayName: opts.relayName ?? DEFAULTS.relayName,
    batchSize: opts.batchSize ?? DEFAULTS.batchSize,
    maxInFlight: opts.maxInFlight ?? DEFAULTS.maxInFlight,
    pollIntervalMs: opts.pollIntervalMs ?? DEFAULTS.pollIntervalMs,
    lockRetryMs: opts.lockRetryMs ?? DEFAULTS.lockRetryMs,
    retryBaseMs: opts.retryBaseMs ?? DEFAULTS.retryBaseMs,
    retryMaxMs: opts.retryMaxMs ?? DEFAULTS.retryMaxMs,
    gapWarnAfterMs: opts.gapWarnAfterMs ?? DEFAULTS.gapWarnAfterMs,
  };
  for (const key of ['batchSize', 'maxInFlight'] as const) {
    if (!Number.isSafeInteger(cfg[key]) || cfg[key] < 1) throw new TypeError(`outbox relay: ${key} must be a positive integer`);
  }
  const streamName = opts.streamName ?? LEDGER_STREAM.name;
  const log = opts.logger.child({ component: 'outbox-relay', relay: cfg.relayName, stream: streamName });

  let running: Promise<void> | undefined;
  let stopping = false;
  let session: RelaySession | undefined;
  let streamReady = false;
  let lastSeq = 0n;
  let published = 0;
  let failures = 0;
  let consecutiveFailures = 0;
  let gapSince: number | undefined;
  let gapWarnedAt: number | undefined;
  let notified = false;
  let wakeSleep: (() => void) | undefined;
  let firstAttempt: (() => void) | undefined;
  const drainWaiters: DrainWaiter[] = [];

  /** Sleeps `ms`; stop() always cuts it short, a NOTIFY only when `onNotify` is set. */
  async function sleep(ms: number, onNotify: boolean): Promise<void> {
    if (stopping || (onNotify && consumeNotified())) return;
    await new Promise<void>((resolve) => {
      const timer = setTimeout(done, ms);
      function done() {
        clearTimeout(timer);
        wakeSleep = undefined;
        resolve();
      }
      wakeSleep = () => {
        if (stopping || (onNotify && consumeNotified())) done();
      };
    });
  }

  function consumeNotified(): boolean {
    const was = notified;
    notified = false;
    return was;
  }

  function wake(): void {
    notified = true;
    wakeSleep?.();
  }

  function settleDrains(): void {
    for (let i = drainWaiters.length - 1; i >= 0; i--) {
      const waiter = drainWaiters[i] as DrainWaiter;
      if (waiter.target <= lastSeq) {
        drainWaiters.splice(i, 1);
        waiter.resolve();
      }
    }
  }

  function dropSession(reason: string, error?: unknown): void {
    if (!session) return;
    log.warn({ err: describeError(error), lastSeq: lastSeq.toString() }, `outbox relay lost its lock session (${reason}); will retake it`);
    session.close();
    session = undefined;
  }

  async function takeLock(): Promise<boolean> {
    try {
      session = await acquireRelaySession({
        pool: opts.pool,
        relayName: cfg.relayName,
        onNotify: wake,
        onBroken: () => wake(),
      });
    } catch (error) {
      failures += 1;
      log.warn({ err: describeError(error) }, 'outbox relay could not reach the database; will retry');
      return false;
    }
    if (!session) return false;
    lastSeq = session.lastSeq;
    streamReady = false;
    clearGap();
    log.info({ lastSeq: lastSeq.toString() }, 'outbox relay holds the lock; publishing');
    settleDrains();
    return true;
  }

  /** Publishes one batch after the cursor; reports whether more rows may be waiting. */
  async function pump(current: RelaySession): Promise<PumpResult> {
    const { rows: records } = await current.client.query<OutboxRowRecord>(SELECT_OUTBOX_ROWS, [lastSeq.toString(), cfg.batchSize]);
    const rows = records.map(toOutboxRow);
    if (rows.length === 0) {
      clearGap();
      return 'idle';
    }
    const ready = contiguousPrefix(rows, lastSeq);
    if (ready.length === 0) {
      noteGap(rows[0] as OutboxRow);
      return 'gap';
    }
    clearGap();

    const outcome = await publishOutboxRows({
      bus: opts.bus,
      streamName,
      rows: ready,
      maxInFlight: cfg.maxInFlight,
      shouldStop: () => stopping || current.broken,
      onAcked: (row) => {
        published += 1;
        opts.onPublished?.(row.seq);
      },
    });
    if (outcome.acked > 0) {
      const upTo = (ready[outcome.acked - 1] as OutboxRow).seq;
      if (current.broken) throw new Error('lock session failed before the cursor update');
      // Runs on the lock's own connection: if that connection is gone, so is the update.
      await current.client.query(
        'UPDATE ledger.outbox_cursor SET last_seq = $2, updated_at = now() WHERE relay = $1 AND last_seq < $2',
        [cfg.relayName, upTo.toString()],
      );
      lastSeq = upTo;
      settleDrains();
    }
    if (outcome.failure) throw new PublishFailed(outcome.failure.row, outcome.failure.error, outcome.failure.storedAfter);
    if (outcome.acked < ready.length) return 'idle'; // stopped between waves
    if (ready.length < rows.length) return 'gap';
    return rows.length === cfg.batchSize ? 'more' : 'idle';
  }

  function noteGap(next: OutboxRow): void {
    const now = Date.now();
    gapSince ??= now;
    const waited = now - gapSince;
    if (waited >= cfg.gapWarnAfterMs && (gapWarnedAt === undefined || now - gapWarnedAt >= cfg.gapWarnAfterMs)) {
      gapWarnedAt = now;
      log.warn(
        { afterSeq: lastSeq.toString(), nextSeq: next.seq.toString(), waitedMs: waited },
        'outbox has a gap in seq; waiting for the missing rows instead of skipping them',
      );
    }
  }

  function clearGap(): void {
    gapSince = undefined;
    gapWarnedAt = undefined;
  }

  function backoffMs(): number {
    return Math.min(cfg.retryBaseMs * 2 ** Math.min(consecutiveFailures - 1, 30), cfg.retryMaxMs);
  }

  async function loop(): Promise<void> {
    while (!stopping) {
      if (!session) {
        const held = await takeLock();
        firstAttempt?.();
        firstAttempt = undefined;
        if (!held) {
          await sleep(cfg.lockRetryMs, false);
          continue;
        }
      }
      const current = session as RelaySession;
      try {
        if (current.broken) throw new Error('lock session connection failed');
        if (!streamReady) {
          await ensureLedgerStream(opts.bus, streamName).catch((error: unknown) => {
            throw new StreamNotReady(error);
          });
          streamReady = true;
        }
        const result = await pump(current);
        consecutiveFailures = 0;
        if (result === 'more') continue;
        // After a gap a NOTIFY is not proof the gap closed, but re-reading is cheap.
        await sleep(cfg.pollIntervalMs, true);
      } catch (error) {
        failures += 1;
        consecutiveFailures += 1;
        const retryInMs = backoffMs();
        if (error instanceof PublishFailed) {
          if (error.storedAfter > 0) {
            log.error(
              { seq: error.row.seq.toString(), storedAfter: error.storedAfter },
              'later outbox rows were stored before this one: the stream is out of seq order here',
            );
          }
          // Only seq and subject: the payload may hold personal data.
          const fields = { seq: error.row.seq.toString(), subject: error.row.subject, err: describeError(error.cause), attempt: consecutiveFailures, retryInMs };
          if (error.cause instanceof MalformedPayload) log.error(fields, 'outbox row cannot be published and is not skipped; retrying');
          else log.warn(fields, 'publishing to JetStream failed; retrying the same rows');
        } else if (error instanceof StreamNotReady) {
          log.warn({ err: describeError(error.cause), attempt: consecutiveFailures, retryInMs }, 'could not provision the ledger stream; retrying');
        } else if (isDataError(error) && !current.broken) {
          // The connection (and so the lock) is fine but the query cannot convert a row. It is never
          // skipped, so this repeats until the row is dealt with.
          log.error(
            { err: describeError(error), afterSeq: lastSeq.toString(), attempt: consecutiveFailures, retryInMs },
            'outbox rows after the cursor cannot be read; retrying',
          );
        } else {
          // A database error: the lock may be gone with the connection, so start over from the lock.
          dropSession('database error', error);
        }
        await sleep(retryInMs, false);
      }
    }
  }

  return {
    async start() {
      if (running) return;
      stopping = false;
      const attempted = new Promise<void>((resolve) => {
        firstAttempt = resolve;
      });
      running = loop().catch((error: unknown) => {
        // Not expected (every step catches), but a relay must not take the process down.
        log.error({ err: describeError(error) }, 'outbox relay stopped unexpectedly');
      });
      await Promise.race([attempted, running]);
    },

    async stop() {
      if (!running) return;
      stopping = true;
      wakeSleep?.();
      await running;
      running = undefined;
      session?.close();
      session = undefined;
      for (const waiter of drainWaiters.splice(0)) waiter.reject(new Error('outbox relay stopped before draining'));
    },

    async drain() {
      if (!running || stopping) throw new Error('outbox relay is not running');
      const { rows } = await opts.pool.query<{ max: string }>('SELECT coalesce(max(seq), 0)::text AS max FROM ledger.outbox_event');
      const target = BigInt(rows[0]?.max ?? '0');
      if (target <= lastSeq) return;
      const reached = new Promise<void>((resolve, reject) => drainWaiters.push({ target, resolve, reject }));
      wake();
      await reached;
    },

    stats() {
      return { lastSeq, published, failures, active: session !== undefined && !session.broken };
    },
  };
}

/** A SQLSTATE error about the data (class 22, e.g. invalid JSON), not about the connection. */
function isDataError(error: unknown): boolean {
  const code = (error as { code?: unknown } | undefined)?.code;
  return typeof code === 'string' && code.startsWith('22');
}

/** Error fields safe to log: the name, code and message of NATS and pg errors carry no payload data. */
function describeError(error: unknown): Record<string, unknown> | undefined {
  if (error === undefined) return undefined;
  if (!(error instanceof Error)) return { message: String(error) };
  const code = (error as { code?: unknown }).code;
  return { name: error.name, message: error.message, ...(code !== undefined ? { code } : {}) };
}
