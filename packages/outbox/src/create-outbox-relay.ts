import type { EventBus } from '@baas/events';
import { contiguousPrefix, outboxStatements, qualified, toOutboxRow } from './outbox-descriptor';
import type { OutboxRecord, OutboxRow } from './outbox-descriptor';
import { prepareJsonEvent } from './prepare-json-event';
import { publishRows } from './publish-rows';
import { acquireRelaySession } from './relay-session';
import type { RelaySession } from './relay-session';
import { createRelayLag, exportRelayLag } from './relay-lag';
import { createGapWatch, createSleeper, describeError, isDataError, settlesWithin } from './relay-support';
import { PublishFailed, reportFailure, StreamNotReady } from './report-failure';
import type { OutboxRelay, OutboxRelayOptions } from './relay-types';

export type { OutboxRelay, OutboxRelayOptions, OutboxRelayStats } from './relay-types';

const CLOSE_TIMEOUT_MS = 3000;
type DrainWaiter = { target: bigint; resolve: () => void; reject: (error: Error) => void };
type PumpResult = 'more' | 'idle' | 'gap';

/**
 * The relay from one outbox table to JetStream: publishes committed rows in seq order, moves its
 * cursor over the acknowledged prefix only, and retries the same rows with capped exponential
 * backoff while NATS (or PostgreSQL) is away. At-least-once publishing; JetStream drops the repeats
 * by event id within the stream's duplicate window. One relay per (outbox, name) publishes at a
 * time (a PostgreSQL advisory lock); the others stand by, connected, and take over from the cursor.
 */
export function createOutboxRelay(opts: OutboxRelayOptions): OutboxRelay {
  const cfg = {
    relayName: opts.relayName ?? 'jetstream',
    batchSize: opts.batchSize ?? 500,
    maxInFlight: opts.maxInFlight ?? 1,
    pollIntervalMs: opts.pollIntervalMs ?? 1000,
    lockRetryMs: opts.lockRetryMs ?? 5000,
    retryBaseMs: opts.retryBaseMs ?? 200,
    retryMaxMs: opts.retryMaxMs ?? 5000,
    revisitIntervalMs: opts.revisitIntervalMs ?? 5000,
  };
  for (const key of ['batchSize', 'maxInFlight'] as const) {
    if (!Number.isSafeInteger(cfg[key]) || cfg[key] < 1) throw new TypeError(`outbox relay: ${key} must be a positive integer`);
  }
  if (!opts.bus && !opts.connect) throw new TypeError('outbox relay: pass a bus or a connect function');
  const outbox = opts.outbox;
  const sql = outboxStatements(outbox);
  const channel = outbox.channel === undefined ? undefined : (qualified(outbox.channel), outbox.channel);
  const prepare = outbox.prepare ?? prepareJsonEvent;
  const stream = { ...outbox.stream, subjects: [...outbox.stream.subjects], name: opts.streamName ?? outbox.stream.name };
  const log = opts.logger.child({ component: 'outbox-relay', outbox: outbox.table, relay: cfg.relayName, stream: stream.name });

  let running: Promise<void> | undefined;
  let stopping = false;
  let session: RelaySession | undefined;
  let bus: EventBus | undefined = opts.bus;
  let streamReady = false;
  let lastSeq = 0n;
  let lastRevisit = 0;
  let consecutiveFailures = 0;
  const counts = { published: 0, failures: 0, unreadable: 0 };
  const lag = createRelayLag();
  let unexport: (() => void) | undefined;
  let firstAttempt: (() => void) | undefined;
  const drainWaiters: DrainWaiter[] = [];
  const sleeper = createSleeper(() => stopping);
  const gap = createGapWatch(log, opts.gapWarnAfterMs ?? 10_000);

  const fail = () => {
    counts.failures += 1;
    consecutiveFailures += 1;
    return Math.min(cfg.retryBaseMs * 2 ** Math.min(consecutiveFailures - 1, 30), cfg.retryMaxMs);
  };

  function settleDrains(): void {
    for (let i = drainWaiters.length - 1; i >= 0; i--) {
      const waiter = drainWaiters[i] as DrainWaiter;
      if (waiter.target <= lastSeq) {
        drainWaiters.splice(i, 1);
        waiter.resolve();
      }
    }
  }

  /** Connects (when the relay owns its bus) and provisions the stream; standbys do it too. */
  async function ensureBus(): Promise<boolean> {
    try {
      bus ??= await (opts.connect as () => Promise<EventBus>)();
    } catch (error) {
      const retryInMs = fail();
      log.warn({ err: describeError(error), attempt: consecutiveFailures, retryInMs }, 'outbox relay cannot reach NATS; retrying');
      return false;
    }
    if (streamReady) return true;
    try {
      await bus.ensureStream(stream);
      streamReady = true;
      return true;
    } catch (error) {
      reportFailure(log, new StreamNotReady(error), { attempt: consecutiveFailures, retryInMs: fail() });
      return false;
    }
  }

  async function takeLock(): Promise<boolean> {
    try {
      const wake = () => sleeper.wake();
      session = await acquireRelaySession({ pool: opts.pool, table: outbox.table, relayName: cfg.relayName, statements: sql, channel, onNotify: wake, onBroken: wake });
    } catch (error) {
      counts.failures += 1;
      log.warn({ err: describeError(error) }, 'outbox relay could not reach the database; will retry');
      return false;
    }
    if (!session) return false;
    lastSeq = session.lastSeq;
    gap.clear();
    log.info({ lastSeq: lastSeq.toString() }, 'outbox relay holds the lock; publishing');
    settleDrains();
    return true;
  }

  /** Publishes `rows`; marks what was handled (with the cursor when `upTo` is set); throws the failure. */
  async function publish(current: RelaySession, rows: readonly OutboxRow[], forward: boolean): Promise<number> {
    const outcome = await publishRows({
      bus: bus as EventBus,
      streamName: stream.name,
      rows,
      prepare,
      maySkip: outbox.tracking !== undefined,
      maxInFlight: cfg.maxInFlight,
      batchPublish: opts.batchPublish ?? true,
      shouldStop: () => stopping || current.broken,
      onAcked: (row) => {
        counts.published += 1;
        opts.onPublished?.(row.seq);
      },
      onSkipped: (row, reason) => {
        counts.unreadable += 1;
        // Only seq and event id: the payload may hold personal data.
        log.error({ seq: row.seq.toString(), eventId: row.eventId, reason }, 'outbox row cannot be prepared; left unsent and retried later');
      },
    });
    if (outcome.handled > 0) {
      const handled = rows.slice(0, outcome.handled).map((r) => r.seq.toString());
      const skipped = outcome.skipped.map(String);
      if (current.broken) throw new Error('lock session failed before the cursor update');
      // Runs on the lock's own connection: if that connection is gone, so is the update.
      if (forward) {
        const upTo = (rows[outcome.handled - 1] as OutboxRow).seq;
        await current.client.query(sql.advance, outbox.tracking ? [cfg.relayName, upTo.toString(), handled, skipped] : [cfg.relayName, upTo.toString()]);
        lastSeq = upTo;
        lag.advanced(upTo);
        settleDrains();
      } else if (sql.track) await current.client.query(sql.track, [handled, skipped]);
    }
    if (outcome.failure) throw new PublishFailed(outcome.failure.row, outcome.failure.error, outcome.failure.storedAfter, outcome.failure.unpublishable);
    return outcome.handled;
  }

  /** Publishes one batch after the cursor; reports whether more rows may be waiting. */
  async function pump(current: RelaySession): Promise<PumpResult> {
    const { rows: records } = await current.client.query<OutboxRecord>(sql.selectAfter, [lastSeq.toString(), cfg.batchSize]);
    const rows = records.map((r) => toOutboxRow(r, outbox.extraColumns));
    if (lag.fetched(lastSeq, rows, cfg.batchSize)) {
      const { rows: newest } = await current.client.query<{ max: string }>(sql.maxSeq);
      lag.probed(BigInt(newest[0]?.max ?? '0'));
    }
    if (rows.length === 0) {
      gap.clear();
      return 'idle';
    }
    const ready = contiguousPrefix(rows, lastSeq);
    if (ready.length === 0) {
      gap.note(lastSeq, rows[0] as OutboxRow);
      return 'gap';
    }
    gap.clear();
    const handled = await publish(current, ready, true);
    if (handled < ready.length) return 'idle'; // stopped between waves
    if (ready.length < rows.length) return 'gap';
    return rows.length === cfg.batchSize ? 'more' : 'idle';
  }

  /** Tracked rows behind the cursor that are still unsent (skipped, or reset to be sent again), oldest first. */
  async function revisit(current: RelaySession): Promise<void> {
    lastRevisit = Date.now();
    const { rows: records } = await current.client.query<OutboxRecord>(sql.selectUnsent as string, [lastSeq.toString(), cfg.batchSize]);
    if (records.length > 0) await publish(current, records.map((r) => toOutboxRow(r, outbox.extraColumns)), false);
  }

  async function loop(): Promise<void> {
    while (!stopping) {
      const connected = await ensureBus();
      if (!session) {
        const held = await takeLock();
        firstAttempt?.();
        firstAttempt = undefined;
        if (!held) {
          await sleeper.sleep(cfg.lockRetryMs, false);
          continue;
        }
      }
      const current = session as RelaySession;
      if (!connected) {
        await sleeper.sleep(Math.min(cfg.retryBaseMs * 2 ** Math.min(consecutiveFailures - 1, 30), cfg.retryMaxMs), false);
        continue;
      }
      try {
        if (current.broken) throw new Error('lock session connection failed');
        const result = await pump(current);
        if (result === 'idle' && sql.selectUnsent && Date.now() - lastRevisit >= cfg.revisitIntervalMs) await revisit(current);
        consecutiveFailures = 0;
        if (result === 'more') continue;
        // After a gap a NOTIFY is not proof the gap closed, but re-reading is cheap.
        await sleeper.sleep(cfg.pollIntervalMs, true);
      } catch (error) {
        const retryInMs = fail();
        // The stream may have gone with a NATS restart: provision it again before the retry.
        if (error instanceof PublishFailed && !error.unpublishable) streamReady = false;
        const dataError = isDataError(error) && !current.broken;
        reportFailure(log, error, { attempt: consecutiveFailures, retryInMs, afterSeq: lastSeq, dataError });
        // A database error: the lock may be gone with the connection, so start over from the lock.
        if (!(error instanceof PublishFailed) && !dataError) dropSession();
        await sleeper.sleep(retryInMs, false);
      }
    }
  }

  function dropSession(): void {
    if (!session) return;
    lag.reset();
    session.close();
    session = undefined;
  }

  return {
    async start() {
      if (running) return;
      stopping = false;
      if (opts.metrics && !unexport) unexport = exportRelayLag(opts.metrics, { labels: { outbox: outbox.table, relay: cfg.relayName }, read: () => lag.read() });
      const attempted = new Promise<void>((resolve) => (firstAttempt = resolve));
      running = loop().catch((error: unknown) => {
        // Not expected (every step catches), but a relay must not take the process down.
        log.error({ err: describeError(error) }, 'outbox relay stopped unexpectedly');
      });
      await Promise.race([attempted, running]);
    },

    async stop() {
      if (!running) return;
      stopping = true;
      sleeper.interrupt();
      await running;
      running = undefined;
      dropSession();
      unexport?.();
      unexport = undefined;
      for (const waiter of drainWaiters.splice(0)) waiter.reject(new Error('outbox relay stopped before draining'));
      if (opts.connect && bus) {
        const closing = bus.close();
        bus = undefined;
        streamReady = false;
        if (!(await settlesWithin(closing, CLOSE_TIMEOUT_MS))) log.warn('NATS connection did not drain in time; leaving it');
      }
    },

    async drain() {
      if (!running || stopping) throw new Error('outbox relay is not running');
      const { rows } = await opts.pool.query<{ max: string }>(sql.maxSeq);
      const target = BigInt(rows[0]?.max ?? '0');
      if (target <= lastSeq) return;
      const reached = new Promise<void>((resolve, reject) => drainWaiters.push({ target, resolve, reject }));
      sleeper.wake();
      await reached;
    },

    stats() {
      return { lastSeq, ...counts, ...lag.read(), active: session !== undefined && !session.broken, connected: bus !== undefined && streamReady };
    },
  };
}
