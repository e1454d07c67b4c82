import { describe, it, after } from 'node:test';
import assert from 'node:assert/strict';
import { Registry } from 'prom-client';
import type { EventBus } from '@baas/events';
import type { OutboxRelay } from '@baas/outbox';
import { createLedgerOutboxRelay } from '../src/workers/outbox-relay';
import { createOutboxFixture, insertOutboxRows, seqRange, testAccounts, waitFor, within } from './helpers/outbox-harness';
import type { OutboxFixture } from './helpers/outbox-harness';

const TEST_TIMEOUT = 90_000;

/** The value of `name` for the ledger outbox in a scrape of `registry`. */
async function scraped(registry: Registry, name: string): Promise<number | undefined> {
  const line = (await registry.metrics()).split('\n').find((l) => l.startsWith(`${name}{outbox="ledger.outbox_event",relay="jetstream"}`));
  return line === undefined ? undefined : Number(line.split(' ').at(-1));
}

describe('outbox relay: lag metrics (PostgreSQL, NATS JetStream)', () => {
  let f: OutboxFixture | undefined;
  let relay: OutboxRelay | undefined;

  after(async () => {
    await relay?.stop().catch(() => {});
    await f?.dispose();
  });

  it('exports the rows waiting and the age of the oldest while publishing is held up, and 0 once caught up', { timeout: TEST_TIMEOUT }, async () => {
    f = await createOutboxFixture('lag');
    await insertOutboxRows(f.pool, { seqs: seqRange(1, 45), accounts: testAccounts(5) });
    // The real bus, its publishes held until `release`: the relay reads the rows but cannot publish them yet.
    let release!: () => void;
    const held = new Promise<void>((resolve) => (release = resolve));
    const real = f.bus;
    const batch = real.publishBatch!.bind(real);
    const bus: EventBus = {
      ...real,
      publish: async (...args: Parameters<EventBus['publish']>) => (await held, real.publish(...args)),
      publishBatch: async (...args: Parameters<typeof batch>) => (await held, batch(...args)),
    };
    const registry = new Registry();
    relay = createLedgerOutboxRelay({ pool: f.pool, bus, streamName: f.stream, batchSize: 20, maxInFlight: 4, pollIntervalMs: 50, logger: f.logger, metrics: registry });
    await within(relay.start(), 10_000, 'relay.start');

    // A full first read (20 of 45) asks the index for the newest seq: all 45 wait.
    await waitFor(() => relay!.stats().waiting === 45, { what: 'the relay to read the outbox' });
    assert.equal(await scraped(registry, 'outbox_rows_waiting'), 45);
    const age = await scraped(registry, 'outbox_oldest_waiting_age_seconds');
    assert.ok(age !== undefined && age >= 0, `age ${age}`);
    const before = relay.stats().oldestAgeSeconds;
    await waitFor(() => relay!.stats().oldestAgeSeconds > before, { what: 'the age to grow while held' });

    release();
    await within(relay.drain(), 20_000, 'drain');
    assert.equal(relay.stats().lastSeq, 45n);
    assert.equal(await scraped(registry, 'outbox_rows_waiting'), 0);
    assert.equal(await scraped(registry, 'outbox_oldest_waiting_age_seconds'), 0);

    // A short read (fewer rows than the batch) counts exactly what waits.
    await insertOutboxRows(f.pool, { seqs: seqRange(46, 50), accounts: testAccounts(5) });
    await within(relay.drain(), 20_000, 'drain of 5 more');
    assert.equal(relay.stats().waiting, 0);

    await relay.stop();
    assert.equal(await scraped(registry, 'outbox_rows_waiting'), undefined, 'a stopped relay no longer reports');
  });
});
