import { after, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { uuidv7 } from '@baas/db';
import type { OutboxRelay } from '@baas/outbox';
import { createLedgerOutboxRelay } from '../src/workers/outbox-relay';
import type { TransferRequest } from '../src/domain/types';
import { LedgerWriter } from '../src/workers/ledger-writer';
import { createLedgerAccounts } from './helpers/ledger-db';
import { createOutboxFixture, readStream, waitFor, within, type OutboxFixture } from './helpers/outbox-harness';

type Event = { seq: string; accountIds: string[]; transfer: { id: string }; accounts: { id: string; creditsPosted: string }[] };

/**
 * The whole path with the real writer: transfers keep being committed while NATS is down; once it
 * is back every event arrives once, in journal order, so in order per account too.
 */
describe('ledger writer + relay: NATS outage', () => {
  let f: OutboxFixture | undefined;
  let relay: OutboxRelay | undefined;
  let writer: LedgerWriter | undefined;
  after(async () => {
    await within(relay?.stop() ?? Promise.resolve(), 20_000, 'relay.stop').catch(() => {});
    await writer?.close();
    await f?.dispose();
  });

  it('commits every transfer during the outage and publishes each once, in order, afterwards', { timeout: 120_000 }, async () => {
    f = await createOutboxFixture('writer');
    const fx = f;
    writer = new LedgerWriter({ pool: fx.pool, logger: fx.logger });
    const accounts = Array.from({ length: 5 }, () => uuidv7());
    await createLedgerAccounts(fx.pool, accounts.map((id) => ({ id, tenantId: null, customerId: null, currency: 'BRL', code: 1, flags: 0 })));
    const transfer = (i: number): TransferRequest => ({
      kind: 'SINGLE',
      id: uuidv7(),
      debitAccountId: accounts[i % 5]!,
      creditAccountId: accounts[(i + 1 + (i % 3)) % 5]!,
      amount: BigInt(1 + i),
      currency: 'BRL',
      code: 1,
    });
    relay = createLedgerOutboxRelay({ pool: fx.pool, bus: fx.bus, streamName: fx.stream, pollIntervalMs: 100, retryBaseMs: 100, retryMaxMs: 1000, logger: fx.logger });
    await within(relay.start(), 10_000, 'relay.start');

    const committed: string[] = [];
    const submit = async (from: number, to: number) => {
      const results = await Promise.all(Array.from({ length: to - from }, (_, k) => writer!.submit([transfer(from + k)])));
      for (const r of results.flat()) {
        assert.equal(r.status, 'CREATED');
        committed.push(r.id);
      }
    };
    await submit(0, 50);
    await within(relay.drain(), 15_000, 'drain before the outage');

    await fx.nats.stop();
    await within(submit(50, 200), 20_000, 'transfers during the outage');
    await waitFor(() => relay!.stats().failures >= 1, { what: 'the relay to notice the outage', timeoutMs: 30_000 });
    await fx.nats.start();
    await within(submit(200, 230), 20_000, 'transfers after the outage');
    await within(relay.drain(), 60_000, 'drain after NATS is back');

    const stored = await readStream(fx.nats.url, fx.stream);
    const events = stored.map((m) => m.envelope.data as unknown as Event);
    assert.equal(events.length, 230, 'every event stored exactly once');
    assert.deepEqual(events.map((e) => Number(e.seq)), Array.from({ length: 230 }, (_, i) => i + 1), 'in journal order, no gap, no repeat');
    assert.deepEqual(new Set(events.map((e) => e.transfer.id)), new Set(committed));
    // Per account: the balances carried by successive events never go back in time.
    for (const id of accounts) {
      const credits = events.flatMap((e) => e.accounts.filter((a) => a.id === id).map((a) => BigInt(a.creditsPosted)));
      for (let i = 1; i < credits.length; i++) assert.ok(credits[i]! >= credits[i - 1]!, `account ${id} events in order`);
    }
  });
});
