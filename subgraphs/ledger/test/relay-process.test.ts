import { describe, it, after } from 'node:test';
import assert from 'node:assert/strict';
import { ledgerRelayConfigSchema } from '../src/config';
import { startLedgerRelayProcess, type RunningLedgerRelay } from '../src/workers/relay-process';
import { assertStoredOnceInOrder, createOutboxFixture, insertOutboxRows, PII_MARKER, readStream, seqRange, testAccounts, waitFor, within } from './helpers/outbox-harness';
import type { OutboxFixture } from './helpers/outbox-harness';

const TEST_TIMEOUT = 90_000;
const OPS_TOKEN = 'o'.repeat(40);

// The relay as npm start runs it: a process of its own (workers/relay-main.ts runs exactly this function),
// on the real PostgreSQL and a nats-server of the test's own.
describe('ledger relay process: the outbox relay on its own, with its ops endpoints', () => {
  let f: OutboxFixture | undefined;
  let running: RunningLedgerRelay | undefined;

  after(async () => {
    await running?.stop().catch(() => {});
    await f?.dispose();
  });

  it('publishes every row once and in order, and serves /healthz, /readyz and its lag on /metrics (token-guarded)', { timeout: TEST_TIMEOUT }, async () => {
    f = await createOutboxFixture('proc');
    const config = ledgerRelayConfigSchema.parse({ NODE_ENV: 'test', LOG_LEVEL: 'silent', PORT: '0', DATABASE_URL: f.db.url, NATS_URL: f.nats.url, LEDGER_STREAM: f.stream, OPS_TOKEN });
    running = await within(startLedgerRelayProcess(config, f.logger), 20_000, 'the relay process');
    const rows = await insertOutboxRows(f.pool, { seqs: seqRange(1, 40), accounts: testAccounts(5) });
    let stored: Awaited<ReturnType<typeof readStream>> = [];
    await waitFor(async () => (stored = await readStream(f!.nats.url, f!.stream).catch(() => [])).length === 40, { what: 'the 40 events in the stream' });
    assertStoredOnceInOrder(stored, rows);

    const base = new URL('/', running.url);
    const get = (path: string, token?: string) => fetch(new URL(path, base), token ? { headers: { authorization: `Bearer ${token}` } } : {});
    assert.deepEqual(await (await get('/healthz')).json(), { status: 'ok', service: 'ledger-relay' });
    const ready = await get('/readyz', OPS_TOKEN);
    assert.equal(ready.status, 200);
    assert.equal(((await ready.json()) as { checks: { nats: boolean } }).checks.nats, true);
    assert.deepEqual(await (await get('/readyz')).json(), { status: 'ready' }, 'details only for the operations token');
    assert.equal((await get('/metrics')).status, 401);
    const metrics = await (await get('/metrics', OPS_TOKEN)).text();
    await waitFor(async () => /outbox_rows_waiting\{outbox="ledger.outbox_event",relay="jetstream"\} 0/.test(await (await get('/metrics', OPS_TOKEN)).text()), { what: 'no rows waiting' });
    assert.match(metrics, /outbox_oldest_waiting_age_seconds\{outbox="ledger.outbox_event",relay="jetstream"\}/);
    assert.equal((await get('/graphql')).status, 404);
    assert.ok(!f.lines.some((line) => line.includes(PII_MARKER)), 'no payload in the logs');

    await running.stop();
    running = undefined;
  });

  it('needs OPS_TOKEN in production', async () => {
    const config = ledgerRelayConfigSchema.parse({ NODE_ENV: 'production', PORT: '0' });
    await assert.rejects(startLedgerRelayProcess(config, f!.logger), /OPS_TOKEN is required in production/);
  });
});
