import { describe, it, after } from 'node:test';
import assert from 'node:assert/strict';
import type { OutboxRelay } from '@baas/outbox';
import { createLedgerOutboxRelay } from '../src/workers/outbox-relay';
import {
  assertStoredOnceInOrder,
  createOutboxFixture,
  insertOutboxRows,
  insertRawOutboxRow,
  PII_MARKER,
  readStream,
  seqRange,
  storedCursor,
  streamMessageCount,
  testAccounts,
  waitFor,
  within,
} from './helpers/outbox-harness';
import type { OutboxFixture } from './helpers/outbox-harness';

const TEST_TIMEOUT = 90_000;

describe('outbox relay: publishing', () => {
  const fixtures: OutboxFixture[] = [];
  const relays: OutboxRelay[] = [];

  after(async () => {
    await Promise.all(relays.map((r) => within(r.stop(), 15_000, 'relay.stop').catch(() => {})));
    await Promise.all(fixtures.map((f) => f.dispose()));
  });

  async function fixture(label: string) {
    const f = await createOutboxFixture(label);
    fixtures.push(f);
    return f;
  }

  it('publishes every row once, in seq order, with correlation ids, and leaves the cursor at the last seq', { timeout: TEST_TIMEOUT }, async () => {
    const f = await fixture('order');
    const accounts = testAccounts(7);
    const correlationId = (seq: bigint) => (seq % 3n === 0n ? `corr-${seq}` : undefined);
    const rows = await insertOutboxRows(f.pool, { seqs: seqRange(1, 230), accounts, correlationId });

    // A poll interval far beyond the test's waits: only LISTEN/NOTIFY can explain the later pickup.
    const relay = createLedgerOutboxRelay({ pool: f.pool, bus: f.bus, streamName: f.stream, batchSize: 50, maxInFlight: 8, pollIntervalMs: 600_000, logger: f.logger });
    relays.push(relay);
    await within(relay.start(), 10_000, 'relay.start');
    await within(relay.drain(), 20_000, 'drain of 230 rows');

    assert.equal(relay.stats().lastSeq, 230n);
    assert.equal(relay.stats().published, 230);
    assert.equal(relay.stats().failures, 0);
    assert.equal(await storedCursor(f.pool, 'jetstream'), 230n);
    const stored = await readStream(f.nats.url, f.stream);
    assertStoredOnceInOrder(stored, rows);
    for (const event of stored) {
      assert.equal(event.correlationId, correlationId(BigInt(event.envelope.data.seq)), `x-request-id of seq ${event.envelope.data.seq}`);
    }

    const more = await insertOutboxRows(f.pool, { seqs: seqRange(231, 260), accounts });
    await waitFor(async () => (await streamMessageCount(f.nats.url, f.stream)) === 260, { what: 'NOTIFY to wake the relay for 30 more rows' });
    await within(relay.drain(), 10_000, 'drain');
    assert.equal(await storedCursor(f.pool, 'jetstream'), 260n);
    assertStoredOnceInOrder(await readStream(f.nats.url, f.stream), [...rows, ...more]);

    await within(relay.stop(), 10_000, 'relay.stop');
    // No log line may carry payload data.
    assert.ok(!f.lines.some((line) => line.includes('holderName') || line.includes('Maria')));
  });

  it('waits at a gap in seq instead of skipping it, then continues once the row appears', { timeout: TEST_TIMEOUT }, async () => {
    const f = await fixture('gap');
    const accounts = testAccounts(3);
    const before = await insertOutboxRows(f.pool, { seqs: [...seqRange(1, 5), ...seqRange(7, 9)], accounts });

    const relay = createLedgerOutboxRelay({ pool: f.pool, bus: f.bus, streamName: f.stream, pollIntervalMs: 50, gapWarnAfterMs: 200, logger: f.logger });
    relays.push(relay);
    await within(relay.start(), 10_000, 'relay.start');
    await waitFor(() => f.lines.some((line) => line.includes('gap in seq')), { what: 'the gap warning' });

    const warning = JSON.parse(f.lines.find((line) => line.includes('gap in seq')) as string) as { afterSeq: string; nextSeq: string };
    assert.deepEqual([warning.afterSeq, warning.nextSeq], ['5', '7']);
    assert.equal(relay.stats().lastSeq, 5n);
    assert.equal(await storedCursor(f.pool, 'jetstream'), 5n);
    assert.equal(await streamMessageCount(f.nats.url, f.stream), 5);

    const missing = await insertOutboxRows(f.pool, { seqs: [6n], accounts });
    await within(relay.drain(), 10_000, 'drain after the gap closed');
    assert.equal(await storedCursor(f.pool, 'jetstream'), 9n);
    assertStoredOnceInOrder(await readStream(f.nats.url, f.stream), [...before, ...missing]);
    await within(relay.stop(), 10_000, 'relay.stop');
  });

  it('keeps a separate cursor per relay name', { timeout: TEST_TIMEOUT }, async () => {
    const f = await fixture('names');
    const rows = await insertOutboxRows(f.pool, { seqs: seqRange(1, 40), accounts: testAccounts(4) });
    const first = createLedgerOutboxRelay({ pool: f.pool, bus: f.bus, streamName: f.stream, relayName: 'first', pollIntervalMs: 50, logger: f.logger });
    relays.push(first);
    await within(first.start(), 10_000, 'first.start');
    await within(first.drain(), 10_000, 'first.drain');
    await within(first.stop(), 10_000, 'first.stop');

    // A second name starts from 0: it republishes everything, and de-duplication stores nothing twice.
    const second = createLedgerOutboxRelay({ pool: f.pool, bus: f.bus, streamName: f.stream, relayName: 'second', pollIntervalMs: 50, logger: f.logger });
    relays.push(second);
    await within(second.start(), 10_000, 'second.start');
    await within(second.drain(), 10_000, 'second.drain');
    assert.equal(second.stats().published, 40);
    assert.equal(await storedCursor(f.pool, 'first'), 40n);
    assert.equal(await storedCursor(f.pool, 'second'), 40n);
    assertStoredOnceInOrder(await readStream(f.nats.url, f.stream), rows);
    await within(second.stop(), 10_000, 'second.stop');
  });

  it('stops right before a row whose payload is not JSON, without logging its content', { timeout: TEST_TIMEOUT }, async () => {
    const f = await fixture('malformed');
    const accounts = testAccounts(2);
    const good = await insertOutboxRows(f.pool, { seqs: seqRange(1, 3), accounts });
    await insertRawOutboxRow(f.pool, { seq: 4n, payload: `{"holderName": "${PII_MARKER}", oops` });
    await insertOutboxRows(f.pool, { seqs: seqRange(5, 6), accounts });

    // Waves of 8: rows 5 and 6 would share row 4's wave, yet must not be sent ahead of it.
    const relay = createLedgerOutboxRelay({ pool: f.pool, bus: f.bus, streamName: f.stream, maxInFlight: 8, pollIntervalMs: 50, retryBaseMs: 50, logger: f.logger });
    relays.push(relay);
    await within(relay.start(), 10_000, 'relay.start');
    await waitFor(() => relay.stats().failures >= 2, { what: 'the relay to retry the malformed row' });

    const errors = f.lines.filter((line) => line.includes('cannot be published'));
    assert.ok(errors.length >= 1);
    assert.equal((JSON.parse(errors[0] as string) as { seq: string }).seq, '4');
    assert.ok(!f.lines.some((line) => line.includes(PII_MARKER)), 'the payload is not logged');
    assert.equal(relay.stats().lastSeq, 3n);
    assert.equal(await storedCursor(f.pool, 'jetstream'), 3n);
    assertStoredOnceInOrder(await readStream(f.nats.url, f.stream), good);
    await within(relay.stop(), 10_000, 'relay.stop');
  });
});
