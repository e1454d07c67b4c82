// The ledger's outbox relay in a process of its own, for bench:ledger (the default; as npm start runs it):
// the same relay, settings and stream as in-process, on a pool and NATS connection of its own. It
// answers the parent over IPC: its stats every 100 ms, `drain` (caught up), `metrics` (the lag as
// scraped) and `stop`.
import { Registry } from 'prom-client';
import { createPool } from '@baas/db';
import { connectEvents } from '@baas/events';
import { createLogger } from '@baas/observability';
import { createLedgerOutboxRelay } from '../subgraphs/ledger/src/workers/outbox-relay';

type Setup = { dbUrl: string; streamName: string; subjectPrefix: string; relayName: string; batchSize?: number; maxInFlight?: number; batchPublish: boolean };
const setup = JSON.parse(process.env.LEDGER_BENCH_RELAY_CHILD ?? '{}') as Setup;
const logger = createLogger({ service: 'ledger-bench-relay', level: 'warn' });
const pool = createPool(setup.dbUrl, { max: 4 });
const bus = await connectEvents({ url: process.env.NATS_URL ?? 'nats://127.0.0.1:4222', name: 'ledger-bench-relay-child' });
const registry = new Registry();
const relay = createLedgerOutboxRelay({
  pool, bus, logger, metrics: registry, streamName: setup.streamName, subjectPrefix: setup.subjectPrefix, relayName: setup.relayName, pollIntervalMs: 50,
  ...(setup.batchSize ? { batchSize: setup.batchSize } : {}),
  ...(setup.maxInFlight ? { maxInFlight: setup.maxInFlight } : {}),
  batchPublish: setup.batchPublish,
});
await relay.start();
const send = (m: unknown) => process.send?.(m, undefined, {}, () => undefined);
const report = () => {
  const s = relay.stats();
  const cpu = process.cpuUsage();
  send({ type: 'stats', stats: { ...s, lastSeq: s.lastSeq.toString(), cpuMs: (cpu.user + cpu.system) / 1000 } });
};
const timer = setInterval(report, 100);
process.on('message', (m: { type: string; id: number }) => {
  void (async () => {
    if (m.type === 'drain') await relay.drain();
    let metrics: string | undefined;
    if (m.type === 'metrics') metrics = await registry.metrics();
    if (m.type === 'stop') {
      clearInterval(timer);
      await relay.stop();
      await bus.close();
      await pool.end();
    }
    report();
    send({ type: 'done', id: m.id, metrics });
    if (m.type === 'stop') process.exit(0);
  })();
});
process.on('disconnect', () => process.exit(0));
report();
send({ type: 'ready' });
