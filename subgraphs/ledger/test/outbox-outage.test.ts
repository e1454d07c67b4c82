import { describe, it, after } from 'node:test';
import assert from 'node:assert/strict';
import type { OutboxRelay } from '@baas/outbox';
import { createLedgerOutboxRelay } from '../src/workers/outbox-relay';
import {
  assertStoredOnceInOrder,
  createOutboxFixture,
  insertOutboxRows,
  PII_MARKER,
  readStream,
  seqRange,
  storedCursor,
  testAccounts,
  waitFor,
  within,
} from './helpers/outbox-harness';
import type { InsertedRow, OutboxFixture } from './helpers/outbox-harness';

const TEST_TIMEOUT = 120_000;

describe('outbox relay: NATS outage', () => {
  let f: OutboxFixture | undefined;
  let relay: OutboxRelay | undefined;

  after(async () => {
    await within(relay?.stop() ?? Promise.resolve(), 20_000, 'relay.stop').catch(() => {});
    await f?.dispose();
  });

  it('keeps the ledger writable while NATS is down and publishes everything once, in order, after it returns', { timeout: TEST_TIMEOUT }, async () => {
    f = await createOutboxFixture('outage');
    const fx = f;
    const accounts = testAccounts(6);
    relay = createLedgerOutboxRelay({
      pool: fx.pool,
      bus: fx.bus,
      streamName: fx.stream,
      batchSize: 40,
      maxInFlight: 8,
      pollIntervalMs: 100,
      retryBaseMs: 100,
      retryMaxMs: 1000,
      logger: fx.logger,
    });
    const r = relay;
    await within(r.start(), 10_000, 'relay.start');
    const rows: InsertedRow[] = await insertOutboxRows(fx.pool, { seqs: seqRange(1, 60), accounts });
    await within(r.drain(), 15_000, 'drain before the outage');

    await fx.nats.stop();
    // The writer never waits for NATS: every commit succeeds while the relay cannot publish.
    let next = 61;
    for (let batch = 0; batch < 12; batch++) {
      rows.push(...(await within(insertOutboxRows(fx.pool, { seqs: seqRange(next, next + 14), accounts }), 5000, 'an insert during the outage')));
      next += 15;
    }
    const last = next - 1;
    await waitFor(() => r.stats().failures >= 2, { what: 'the relay to fail and retry while NATS is down', timeoutMs: 30_000 });
    assert.equal(r.stats().lastSeq, 60n, 'the cursor does not move while nothing is acknowledged');
    assert.equal(await storedCursor(fx.pool, 'jetstream'), 60n);

    await fx.nats.start();
    await within(r.drain(), 60_000, `drain to ${last} after NATS is back`);
    assert.equal(await storedCursor(fx.pool, 'jetstream'), BigInt(last));
    assertStoredOnceInOrder(await readStream(fx.nats.url, fx.stream), rows);

    const failures = fx.lines.filter((line) => line.includes('publishing to JetStream failed'));
    assert.ok(failures.length > 0, 'publish failures are logged');
    const logged = JSON.parse(failures[0] as string) as { seq: string; subject: string; retryInMs: number };
    assert.equal(logged.seq, '61', 'the relay retries the first unpublished row');
    assert.match(logged.subject, /^ledger\.transfer\./);
    assert.ok(logged.retryInMs <= 1000, 'backoff is capped');
    // Logs name seq numbers and subjects only, never payload contents.
    assert.ok(!fx.lines.some((line) => line.includes(PII_MARKER) || line.includes('accountIds')));
    await within(r.stop(), 10_000, 'relay.stop');
  });
});
