// The outbox relay beside bench:ledger's batched scenario: the ledger's own relay, on the same
// PostgreSQL and the local NATS JetStream (a stream and subject prefix of this run's own, deleted at
// the end), sampled every 250 ms for its events/s and lag (rows waiting, age of the oldest).
//   LEDGER_BENCH_RELAY=0 leaves it out; LEDGER_BENCH_RELAY_BATCH / _IN_FLIGHT override the relay's batch defaults;
//   LEDGER_BENCH_RELAY_PUBLISH=each publishes one js.publish per row (the baseline of bulk acks).
import { randomBytes } from 'node:crypto';
import type pg from 'pg';
import { connect } from 'nats';
import { Registry } from 'prom-client';
import { connectEvents, type EventBus } from '@baas/events';
import type { Logger } from '@baas/observability';
import type { OutboxRelay } from '@baas/outbox';
import { createLedgerOutboxRelay } from '../subgraphs/ledger/src/workers/outbox-relay';

export type RelayReport = {
  settings: string;
  /** Events published per second over the measured window. */
  eventsPerSecond: number;
  /** At the end of the window. */
  endWaiting: number;
  endAgeSeconds: number;
  peakWaiting: number;
  peakAgeSeconds: number;
  /** Seconds after the window until the relay had published everything. */
  catchUpSeconds: number;
  /** The metrics as scraped at the end of the window. */
  scraped: string;
};

export async function startBenchRelay(pool: pg.Pool, logger: Logger) {
  if (process.env.LEDGER_BENCH_RELAY === '0') return undefined;
  const run = randomBytes(4).toString('hex');
  const streamName = `LEDGER_BENCH_${run}`;
  const bus: EventBus = await connectEvents({ url: process.env.NATS_URL ?? 'nats://127.0.0.1:4222', name: 'ledger-bench-relay' });
  const registry = new Registry();
  const batch = process.env.LEDGER_BENCH_RELAY_BATCH;
  const inFlight = process.env.LEDGER_BENCH_RELAY_IN_FLIGHT;
  const each = process.env.LEDGER_BENCH_RELAY_PUBLISH === 'each';
  const relay: OutboxRelay = createLedgerOutboxRelay({
    pool, bus, streamName, logger, metrics: registry, subjectPrefix: `ledgerbench${run}`, relayName: `bench-${run}`, pollIntervalMs: 50,
    ...(batch ? { batchSize: Number(batch) } : {}),
    ...(inFlight ? { maxInFlight: Number(inFlight) } : {}),
    batchPublish: !each,
  });
  await relay.start();
  const settings = `batch ${batch ?? 'default'}, in flight ${inFlight ?? 'default'}, ${each ? 'one js.publish per row' : 'bulk acks'}`;
  let window: { t0: number; p0: number; peakWaiting: number; peakAge: number; timer: NodeJS.Timeout } | undefined;
  return {
    relay,
    /** Starts the measured window (call when the scenario starts). */
    begin(): void {
      const sample = () => {
        const s = relay.stats();
        if (!window) return;
        window.peakWaiting = Math.max(window.peakWaiting, s.waiting);
        window.peakAge = Math.max(window.peakAge, s.oldestAgeSeconds);
      };
      window = { t0: performance.now(), p0: relay.stats().published, peakWaiting: 0, peakAge: 0, timer: setInterval(sample, 250) };
    },
    /** Ends the window, then waits for the relay to catch up. */
    async end(): Promise<RelayReport> {
      const w = window as NonNullable<typeof window>;
      clearInterval(w.timer);
      const seconds = (performance.now() - w.t0) / 1000;
      const s = relay.stats();
      const scraped = (await registry.metrics()).split('\n').filter((l) => l.startsWith('outbox_')).join('\n');
      const t1 = performance.now();
      await relay.drain();
      const catchUpSeconds = (performance.now() - t1) / 1000;
      const published = relay.stats().published - w.p0;
      return {
        settings,
        eventsPerSecond: (s.published - w.p0) / seconds,
        endWaiting: s.waiting,
        endAgeSeconds: s.oldestAgeSeconds,
        peakWaiting: Math.max(w.peakWaiting, s.waiting),
        peakAgeSeconds: Math.max(w.peakAge, s.oldestAgeSeconds),
        catchUpSeconds,
        scraped: `${scraped}\n(${published} events published from the window's start to caught up)`,
      };
    },
    async close(): Promise<void> {
      await relay.stop();
      await bus.close();
      const nc = await connect({ servers: process.env.NATS_URL ?? 'nats://127.0.0.1:4222', name: 'ledger-bench-cleanup' });
      await (await nc.jetstreamManager()).streams.delete(streamName).catch(() => false);
      await nc.close();
    },
  };
}
