/**
 * A ledger instance reduced to its outbox relay, run as a child process by outbox-crash.test.ts:
 *   node --import tsx run-outbox-relay.ts --db <url> --nats <url> --stream <name>
 *        [--crash-after <seq>] [--batch-size <n>] [--max-in-flight <n>]
 * With --crash-after it exits with code 1 the moment that seq is acknowledged, mid-batch and before
 * the cursor update, as a crashed process would. Without it, it drains the outbox and exits 0.
 * Settings come from argv, not the environment (only @baas/config reads process.env).
 */
import { parseArgs } from 'node:util';
import pg from 'pg';
import { connectEvents } from '@baas/events';
import { createLogger } from '@baas/observability';
import { createLedgerOutboxRelay } from '../../src/workers/outbox-relay';

const { values } = parseArgs({
  options: {
    db: { type: 'string' },
    nats: { type: 'string' },
    stream: { type: 'string' },
    'crash-after': { type: 'string' },
    'batch-size': { type: 'string', default: '50' },
    'max-in-flight': { type: 'string', default: '10' },
  },
});
if (!values.db || !values.nats || !values.stream) throw new Error('--db, --nats and --stream are required');
const crashAfter = values['crash-after'] === undefined ? undefined : BigInt(values['crash-after']);

// A child that hangs must not outlive the test that started it.
setTimeout(() => process.exit(3), 60_000).unref();

const logger = createLogger({ service: 'ledger-outbox-child', level: 'warn' });
const pool = new pg.Pool({ connectionString: values.db, max: 3 });
pool.on('error', () => {});
const bus = await connectEvents({ url: values.nats, name: 'ledger-outbox-child', logger });
const relay = createLedgerOutboxRelay({
  pool,
  bus,
  streamName: values.stream,
  batchSize: Number(values['batch-size']),
  maxInFlight: Number(values['max-in-flight']),
  pollIntervalMs: 50,
  logger,
  onPublished(seq) {
    if (seq === crashAfter) process.exit(1);
  },
});
await relay.start();
await relay.drain();
await relay.stop();
await bus.close();
await pool.end();
process.exit(crashAfter === undefined ? 0 : 4); // 4: the crash point was never reached
