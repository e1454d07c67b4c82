import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { Redis } from 'ioredis';
import { createLogger } from '@baas/observability';
import { eventually, startPrivateStores, type PrivateStores } from '@baas/testing';
import type { AccountsConfig } from '../src/config';
import { startBalanceReadModel, type BalanceReadModel } from '../src/services/balance-read-model';

/**
 * Read-your-writes across a Redis restart: a transfer's mark (noteWrite) that cannot reach Redis is
 * kept and written later, and until then this process reads the account from the ledger, never the
 * cached balance from before the write. On a private Redis: the shared one is never stopped.
 */
describe('balance read model: read-your-writes marks survive a Redis restart', () => {
  let stores: PrivateStores;
  let redis: Redis;
  let model: BalanceReadModel;
  const prefix = 'marks-test';
  const balance = (seq: number, credits: number) => ({ seq: String(seq), dp: '0', cp: String(credits), dq: '0', cq: '0', cur: 'BRL' });

  before(async () => {
    stores = await startPrivateStores({ stores: ['redis'] });
    redis = new Redis(stores.urls.redis, { lazyConnect: true, maxRetriesPerRequest: 1, enableOfflineQueue: false });
    redis.on('error', () => undefined); // the restart below is on purpose
    await redis.connect();
    // No NATS here: the subscription keeps retrying in the background; only Redis matters to this test.
    const config = { REDIS_PREFIX: prefix, NATS_URL: 'nats://127.0.0.1:9', LEDGER_STREAM: 'MARKS_TEST' } as AccountsConfig;
    model = await startBalanceReadModel({ config, redis, logger: createLogger({ service: 'test', level: 'silent' }) });
  });
  after(async () => {
    await model?.stop();
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
});
