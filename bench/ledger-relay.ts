// The outbox relay beside bench:ledger's batched scenario: the ledger's own relay, on the same
// PostgreSQL and the local NATS JetStream (a stream and subject prefix of this run's own, deleted at
// the end), sampled every 250 ms for its events/s and lag (rows waiting, age of the oldest).
//   LEDGER_BENCH_RELAY=0 leaves it out; LEDGER_BENCH_RELAY_BATCH / _IN_FLIGHT override the relay's batch defaults;
//   LEDGER_BENCH_RELAY_PUBLISH=each publishes one js.publish per row (the baseline of bulk acks);
//   the relay runs in a process of its own, as npm start deploys it (bench/ledger-relay-child.ts);
//   LEDGER_BENCH_RELAY=in-process runs it in the writer's process instead (the baseline).
import { fork, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { fileURLToPath } from 'node:url';
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
  /** In its own process: that process's CPU over the window, in % of one core. */
  relayProcessCpuPercent?: number;
};

/** What the bench needs of a relay, in this process or another. */
type RelayHandle = {
  drain(): Promise<void>;
  stats(): { published: number; waiting: number; oldestAgeSeconds: number; cpuMs?: number };
  metrics(): Promise<string>;
  stop(): Promise<void>;
};

/** The relay in a child process, driven over IPC. */
async function forkRelay(setup: Record<string, unknown>): Promise<RelayHandle> {
  const child: ChildProcess = fork(fileURLToPath(new URL('./ledger-relay-child.ts', import.meta.url)), [], {
    execArgv: ['--import', 'tsx'],
    env: { ...process.env, LEDGER_BENCH_RELAY_CHILD: JSON.stringify(setup) },
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
  let last = { published: 0, waiting: 0, oldestAgeSeconds: 0, cpuMs: 0 };
  let next = 0;
  const pending = new Map<number, (metrics?: string) => void>();
  const ready = new Promise<void>((resolve, reject) => {
    child.once('exit', (code) => reject(new Error(`relay process exited with ${code}`)));
    child.on('message', (m: { type: string; id?: number; stats?: typeof last; metrics?: string }) => {
      if (m.type === 'ready') resolve();
      if (m.type === 'stats' && m.stats) last = m.stats;
      if (m.type === 'done') pending.get(m.id!)?.(m.metrics);
    });
  });
  await ready;
  const ask = (type: string) =>
    new Promise<string | undefined>((resolve) => {
      const id = ++next;
      pending.set(id, resolve);
      child.send({ type, id });
    });
  return {
    drain: async () => void (await ask('drain')),
    stats: () => last,
    metrics: async () => (await ask('metrics')) ?? '',
    stop: async () => void (await ask('stop')),
  };
}


export async function startBenchRelay(pool: pg.Pool, logger: Logger, dbUrl?: string) {
  const mode = process.env.LEDGER_BENCH_RELAY;
  if (mode === '0') return undefined;
  const run = randomBytes(4).toString('hex');
  const streamName = `LEDGER_BENCH_${run}`;
  const batch = process.env.LEDGER_BENCH_RELAY_BATCH;
  const inFlight = process.env.LEDGER_BENCH_RELAY_IN_FLIGHT;
  const each = process.env.LEDGER_BENCH_RELAY_PUBLISH === 'each';
  const own = mode !== 'in-process';
  if (own && !dbUrl) throw new Error('a relay process of its own needs the database URL');
  const common = {
    streamName, subjectPrefix: `ledgerbench${run}`, relayName: `bench-${run}`,
    ...(batch ? { batchSize: Number(batch) } : {}),
    ...(inFlight ? { maxInFlight: Number(inFlight) } : {}),
    batchPublish: !each,
  };
  let bus: EventBus | undefined;
  let relay: RelayHandle;
  if (own) relay = await forkRelay({ dbUrl, ...common });
  else {
    bus = await connectEvents({ url: process.env.NATS_URL ?? 'nats://127.0.0.1:4222', name: 'ledger-bench-relay' });
    const registry = new Registry();
    const inProcess: OutboxRelay = createLedgerOutboxRelay({ pool, bus, logger, metrics: registry, pollIntervalMs: 50, ...common });
    await inProcess.start();
    relay = { drain: () => inProcess.drain(), stats: () => inProcess.stats(), metrics: () => registry.metrics(), stop: () => inProcess.stop() };
  }
  const settings = `batch ${batch ?? 'default'}, in flight ${inFlight ?? 'default'}, ${each ? 'one js.publish per row' : 'bulk acks'}, ${own ? 'its own process' : 'in the writer process'}`;
  let window: { t0: number; p0: number; cpu0: number; peakWaiting: number; peakAge: number; timer: NodeJS.Timeout } | undefined;
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
      window = { t0: performance.now(), p0: relay.stats().published, cpu0: relay.stats().cpuMs ?? 0, peakWaiting: 0, peakAge: 0, timer: setInterval(sample, 250) };
    },
    /** Ends the window, then waits for the relay to catch up. */
    async end(): Promise<RelayReport> {
      const w = window as NonNullable<typeof window>;
      clearInterval(w.timer);
      const seconds = (performance.now() - w.t0) / 1000;
      const s = relay.stats();
      const scraped = (await relay.metrics()).split('\n').filter((l) => l.startsWith('outbox_')).join('\n');
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
        ...(own ? { relayProcessCpuPercent: (100 * ((s.cpuMs ?? 0) - w.cpu0)) / (seconds * 1000) } : {}),
      };
    },
    async close(): Promise<void> {
      await relay.stop();
      await bus?.close();
      const nc = await connect({ servers: process.env.NATS_URL ?? 'nats://127.0.0.1:4222', name: 'ledger-bench-cleanup' });
      await (await nc.jetstreamManager()).streams.delete(streamName).catch(() => false);
      await nc.close();
    },
  };
}
