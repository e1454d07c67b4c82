import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { Redis } from 'ioredis';
import { connectEvents, type EventBus } from '@baas/events';
import { createLogger } from '@baas/observability';
import { eventually, startPrivateStores, type PrivateStores } from '@baas/testing';
import type { AccountsConfig } from '../src/config';
import { startBalanceReadModel, type BalanceReadModel } from '../src/workers/balance-read-model';

/**
 * The balance read model across a Redis restart. A transfer's mark (noteWrite) that cannot reach
 * Redis is kept and written later, and until then this process reads the account from the ledger,
 * never the cached balance from before the write. A ledger event that arrives while Redis is away
 * is not acknowledged as applied: it comes back and is applied once Redis is. On a private Redis
 * and NATS: the shared ones are never stopped.
 */
describe('balance read model across a Redis restart', () => {
  let stores: PrivateStores;
  let redis: Redis;
  let bus: EventBus;
  let model: BalanceReadModel;
  const prefix = 'marks-test';
  const stream = 'LEDGER_MARKS_TEST';
  const balance = (seq: number, credits: number) => ({ seq: String(seq), dp: '0', cp: String(credits), dq: '0', cq: '0', cur: 'BRL' });

  before(async () => {
    stores = await startPrivateStores({ stores: ['redis', 'nats'] });
    bus = await connectEvents({ url: stores.urls.nats, name: 'read-model-test' });
    await bus.ensureStream({ name: stream, subjects: ['ledger.transfer.>'] });
    redis = new Redis(stores.urls.redis, { lazyConnect: true, maxRetriesPerRequest: 1, enableOfflineQueue: false });
    redis.on('error', () => undefined); // the restart below is on purpose
    await redis.connect();
    const config = { REDIS_PREFIX: prefix, NATS_URL: stores.urls.nats, LEDGER_STREAM: stream } as AccountsConfig;
    model = await startBalanceReadModel({ config, redis, logger: createLogger({ service: 'test', level: 'silent' }) });
  });
  after(async () => {
    await model?.stop();
    await bus?.close();
    redis?.disconnect();
    await stores?.close();
  });

  it('serves the cached balance, refuses it after a write it could not mark, and serves it again once an event is as new', async () => {
    await redis.hset(`${prefix}:balance:A`, balance(10, 500));
    assert.equal((await model.get(['A']))[0]?.posted, 500n);

    await stores.stop('redis');
    // A transfer wrote the account at seq 11 while Redis was away: the mark cannot be written now.
    await assert.rejects(model.noteWrite(['A'], 11n), /read-your-writes marks not written/);
    await stores.start('redis');
    await eventually(async () => assert.equal(redis.status, 'ready'), { attempts: 100, delayMs: 100 });
    assert.deepEqual(await redis.hgetall(`${prefix}:balance:A`), balance(10, 500), 'the cached balance outlived the restart (append-only file)');

    // Older than the write: never served again. The mark reaches Redis on this read.
    assert.equal((await model.get(['A']))[0], null);
    assert.equal(await redis.get(`${prefix}:balance-min:A`), '11');

    // The ledger's event for seq 11 arrives: the cache is good again.
    await redis.hset(`${prefix}:balance:A`, balance(11, 400));
    assert.equal((await model.get(['A']))[0]?.posted, 400n);
  });

  it('applies a ledger event that arrived while Redis was away, once it is back', async () => {
    await stores.stop('redis');
    const event = {
      seq: '20',
      transfer: { currency: 'BRL' },
      accounts: [{ id: 'B', debitsPosted: '0', creditsPosted: '700', debitsPending: '0', creditsPending: '0' }],
    };
    await bus.publish('ledger.transfer.posted', { id: 'event-20', type: 'ledger.transfer.posted', occurredAt: new Date().toISOString(), data: event });
    // Keep Redis down until the read model has been handed the event at least once.
    await eventually(
      async () => {
        const jsz = (await (await fetch(`${stores.natsMonitorUrl}/jsz?consumers=true`)).json()) as {
          account_details?: { stream_detail?: { name: string; consumer_detail?: { delivered: { consumer_seq: number } }[] }[] }[];
        };
        const consumers = jsz.account_details?.flatMap((a) => a.stream_detail ?? []).filter((d) => d.name === stream).flatMap((d) => d.consumer_detail ?? []) ?? [];
        assert.ok(consumers.some((c) => c.delivered.consumer_seq >= 1), 'not delivered yet');
      },
      { attempts: 100, delayMs: 100 },
    );
    await stores.start('redis');
    await eventually(async () => assert.equal(await redis.hget(`${prefix}:balance:B`, 'seq').catch(() => null), '20'), { attempts: 150, delayMs: 200 });
    assert.equal((await model.get(['B']))[0]?.posted, 700n);
  });
});
