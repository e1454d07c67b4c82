import { describe, it, after } from 'node:test';
import assert from 'node:assert/strict';
import type { OutboxRelay } from '@baas/outbox';
import { createLedgerOutboxRelay } from '../src/workers/outbox-relay';
import {
  assertStoredOnceInOrder,
  createOutboxFixture,
  insertOutboxRows,
  readStream,
  seqRange,
  storedCursor,
  testAccounts,
  waitFor,
  within,
} from './helpers/outbox-harness';
import type { OutboxFixture } from './helpers/outbox-harness';

const TEST_TIMEOUT = 90_000;

describe('outbox relay: one publisher per relay name', () => {
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

  it('lets only the lock holder publish and hands over when it stops', { timeout: TEST_TIMEOUT }, async () => {
    const fx = await fixture('lock');
    const accounts = testAccounts(5);
    // Two ledger instances: same relay name, same database, same stream, each with its own bus.
    const options = { pool: fx.pool, streamName: fx.stream, pollIntervalMs: 50, lockRetryMs: 100, batchSize: 40, logger: fx.logger };
    const first = createLedgerOutboxRelay({ ...options, bus: fx.bus });
    relays.push(first);
    await within(first.start(), 10_000, 'first.start');
    assert.equal(first.stats().active, true);

    const second = createLedgerOutboxRelay({ ...options, bus: fx.bus });
    relays.push(second);
    await within(second.start(), 10_000, 'second.start');
    assert.equal(second.stats().active, false, 'the second relay stays on standby');

    const rows = await insertOutboxRows(fx.pool, { seqs: seqRange(1, 100), accounts });
    await within(first.drain(), 15_000, 'first.drain');
    // The standby kept retrying the lock the whole time (lockRetryMs 100) and never got it.
    assert.equal(second.stats().active, false);
    assert.equal(second.stats().published, 0);
    assert.equal(first.stats().published, 100);

    await within(first.stop(), 10_000, 'first.stop');
    const more = await insertOutboxRows(fx.pool, { seqs: seqRange(101, 150), accounts });
    await waitFor(() => second.stats().active, { what: 'the standby to take the lock' });
    await within(second.drain(), 15_000, 'second.drain');

    // It resumed from the stored cursor: nothing before 100 was published again.
    assert.equal(second.stats().published, 50);
    assert.equal(first.stats().published, 100);
    assert.equal(await storedCursor(fx.pool, 'jetstream'), 150n);
    assertStoredOnceInOrder(await readStream(fx.nats.url, fx.stream), [...rows, ...more]);
    await within(second.stop(), 10_000, 'second.stop');
  });

  it('recovers when the holder\'s lock session dies without a clean stop', { timeout: TEST_TIMEOUT }, async () => {
    const fx = await fixture('kill');
    const relayName = 'jetstream';
    const options = { pool: fx.pool, streamName: fx.stream, relayName, pollIntervalMs: 50, lockRetryMs: 100, logger: fx.logger };
    const first = createLedgerOutboxRelay({ ...options, bus: fx.bus });
    const second = createLedgerOutboxRelay({ ...options, bus: fx.bus });
    relays.push(first, second);
    await within(first.start(), 10_000, 'first.start');
    await within(second.start(), 10_000, 'second.start');
    assert.equal(first.stats().active, true);
    assert.equal(second.stats().active, false);
    const accounts = testAccounts(3);
    const rows = await insertOutboxRows(fx.pool, { seqs: seqRange(1, 150), accounts });
    await within(first.drain(), 15_000, 'first.drain');
    const cursorBefore = await storedCursor(fx.pool, relayName);

    // Kill the holder's connection from the server side, as a crashed host or a network cut leaves it.
    const { rows: killed } = await fx.pool.query<{ killed: boolean }>(
      `SELECT pg_terminate_backend(pid, 10000) AS killed FROM pg_locks
        WHERE locktype = 'advisory' AND granted AND objsubid = 2 AND classid = $1::bigint::oid
          AND database = (SELECT oid FROM pg_database WHERE datname = current_database())`,
      [0x4c4f4252],
    );
    assert.deepEqual(killed, [{ killed: true }], 'exactly one session held the relay lock');
    const last = 150 + 40;
    const more = await insertOutboxRows(fx.pool, { seqs: seqRange(151, last), accounts });

    // Whichever relay takes the lock next resumes from the stored cursor.
    await waitFor(async () => (await storedCursor(fx.pool, relayName)) === BigInt(last), { what: `relay ${relayName} to reach ${last}` });
    await waitFor(() => first.stats().failures >= 1, { what: 'the first relay to notice its lost session' });
    assert.equal(cursorBefore, 150n);
    // At least once: a row may be republished after a lost session, never stored twice (below).
    assert.ok(first.stats().published + second.stats().published >= last);
    assertStoredOnceInOrder(await readStream(fx.nats.url, fx.stream), [...rows, ...more]);
  });
});
