import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { Redis } from 'ioredis';
import { createGraphFeatureCache } from '../../src/store/graph-feature-cache';
import { createVelocityStore, type VelocityObservation } from '../../src/store/velocity-store';

const MIN = 60_000;
const DAY = 24 * 60 * MIN;

/** The scoring path's Redis stores on the real Redis; every key is under this run's prefix and removed afterwards. */
describe('velocity counters and graph feature cache on the real Redis', { timeout: 60_000 }, () => {
  const prefix = `test:risk:${randomUUID()}`;
  let redis: Redis;

  before(() => {
    redis = new Redis('redis://127.0.0.1:6379', { maxRetriesPerRequest: 2 });
  });

  after(async () => {
    let cursor = '0';
    do {
      const [next, keys] = await redis.scan(cursor, 'MATCH', `${prefix}:*`, 'COUNT', 1000);
      if (keys.length > 0) await redis.del(...keys);
      cursor = next;
    } while (cursor !== '0');
    redis.disconnect();
  });

  const t0 = new Date('2026-03-02T17:00:00Z').getTime();
  const base = (over: Partial<VelocityObservation>): VelocityObservation => ({
    tenantId: 'tenant-a',
    movementId: randomUUID(),
    fingerprint: randomUUID(),
    customerId: 'cust-1',
    payerAccountId: 'acct-1',
    payeeAccountId: 'acct-2',
    currency: 'BRL',
    amount: 1_000n,
    now: new Date(t0),
    ...over,
  });

  it('counts before the movement, in 1 h / 24 h / 30-day windows that move with time', async () => {
    const v = createVelocityStore(redis, { prefix: `${prefix}:v1` });
    const first = await v.observe(base({ amount: 100n }));
    assert.equal(first.status, 'RECORDED');
    assert.deepEqual(first.snapshot!.payerOut1h, { count: 0, sum: 0n });
    await v.observe(base({ amount: 200n, now: new Date(t0 + 10 * MIN) }));
    const at50 = await v.observe(base({ amount: 400n, now: new Date(t0 + 50 * MIN) }));
    assert.deepEqual(at50.snapshot!.payerOut1h, { count: 2, sum: 300n });
    assert.deepEqual(at50.snapshot!.payeeIn1h, { count: 2, sum: 300n });

    const peek = async (ms: number, payee: string | null = 'other-payee') =>
      (await v.observe(base({ amount: 1n, payerAccountId: 'acct-1', payeeAccountId: payee, now: new Date(t0 + ms), currency: 'BRL' }))).snapshot!;
    // 61 minutes later the first has left the hour; the day still holds all three (and the 1-unit peeks before).
    const later = await peek(61 * MIN);
    assert.deepEqual(later.payerOut1h, { count: 2, sum: 600n });
    assert.deepEqual(later.payerOut24h, { count: 3, sum: 700n });
    const nextDay = await peek(DAY + 120 * MIN);
    assert.deepEqual(nextDay.payerOut24h, { count: 0, sum: 0n });
    assert.deepEqual(nextDay.payerOut30d, { count: 4, sum: 701n });
    const monthLater = await peek(31 * DAY);
    assert.deepEqual(monthLater.payerOut30d, { count: 0, sum: 0n });
    // Counters are per currency.
    const usd = await v.observe(base({ currency: 'USD', now: new Date(t0 + 50 * MIN) }));
    assert.deepEqual(usd.snapshot!.payerOut1h, { count: 0, sum: 0n });
  });

  it('sums stay exact integers beyond 2^53', async () => {
    const v = createVelocityStore(redis, { prefix: `${prefix}:v2` });
    const big = 9_007_199_254_740_993n;
    await v.observe(base({ amount: big }));
    await v.observe(base({ amount: big }));
    const s = (await v.observe(base({ amount: 1n }))).snapshot!;
    assert.deepEqual(s.payerOut1h, { count: 2, sum: 2n * big });
    assert.deepEqual(s.payeeIn24h, { count: 2, sum: 2n * big });
  });

  it('a repeat of a movement is not counted again; one with another fingerprint changes nothing', async () => {
    const v = createVelocityStore(redis, { prefix: `${prefix}:v3` });
    const m = base({ amount: 500n, deviceId: 'dev-1' });
    assert.equal((await v.observe(m)).status, 'RECORDED');
    const again = await v.observe(m);
    assert.equal(again.status, 'DUPLICATE');
    assert.deepEqual(again.snapshot!.payerOut1h, { count: 1, sum: 500n });
    assert.deepEqual(await v.observe({ ...m, fingerprint: 'other' }), { status: 'KEY_REUSED', snapshot: null });
    const next = await v.observe(base({ amount: 1n }));
    assert.deepEqual(next.snapshot!.payerOut1h, { count: 1, sum: 500n });
    // The same movement id in another tenant is another movement.
    assert.equal((await v.observe({ ...m, tenantId: 'tenant-b' })).status, 'RECORDED');
  });

  it('new payee over 180 days, device and IP over 90 days, the account opening remembered', async () => {
    const v = createVelocityStore(redis, { prefix: `${prefix}:v4` });
    const first = (await v.observe(base({ deviceId: 'dev-1', ip: '203.0.113.7', accountOpenedAt: new Date(t0 - 400 * DAY) }))).snapshot!;
    assert.deepEqual([first.payeeKnown, first.deviceSeen, first.ipSeen], [false, false, false]);
    assert.equal(first.accountOpenedAt?.getTime(), t0 - 400 * DAY);
    const second = (await v.observe(base({ deviceId: 'dev-1', ip: '203.0.113.8', now: new Date(t0 + 89 * DAY) }))).snapshot!;
    assert.deepEqual([second.payeeKnown, second.deviceSeen, second.ipSeen], [true, true, false]);
    assert.equal(second.accountOpenedAt?.getTime(), t0 - 400 * DAY);
    // Seen at t0 + 89 days: the device is still known 90 days after that, the payee 180 days after.
    const third = (await v.observe(base({ deviceId: 'dev-1', now: new Date(t0 + 89 * DAY + 180 * DAY + MIN) }))).snapshot!;
    assert.deepEqual([third.payeeKnown, third.deviceSeen, third.ipSeen], [false, false, null]);
    const noPayee = (await v.observe(base({ payeeAccountId: null }))).snapshot!;
    assert.equal(noPayee.payeeKnown, null);
    assert.deepEqual(noPayee.payeeIn24h, { count: 0, sum: 0n });
    // Devices and IPs are kept as digests, never as the values.
    const members = await redis.zrange(`${prefix}:v4:ip:tenant-a:cust-1`, 0, -1);
    assert.ok(members.length > 0 && members.every((m) => !m.includes('203.0.113')));
  });

  it('bucket keys expire', async () => {
    const v = createVelocityStore(redis, { prefix: `${prefix}:v5` });
    await v.observe(base({}));
    const keys = await redis.keys(`${prefix}:v5:*`);
    assert.ok(keys.length >= 7);
    for (const key of keys) assert.ok((await redis.pttl(key)) > 0, key);
  });

  it('graph features: written whole, read in one pipeline, absent as null', async () => {
    const cache = createGraphFeatureCache(redis, { prefix: `${prefix}:gf`, ttlSeconds: 600 });
    await cache.writeCustomer('c1', { sharedIdentifierDegree: 3, ringSize: 4, fraudDistance: 2 });
    await cache.writeAccount('a1', { fraudDistance: 1, muleScore: 0.8 });
    await cache.writeAccount('a1', { fraudDistance: 6, muleScore: 0.25 });
    assert.deepEqual(await cache.read({ customerId: 'c1', payerAccountId: 'a1', payeeAccountId: 'a2' }), {
      customer: { sharedIdentifierDegree: 3, ringSize: 4, fraudDistance: 2 },
      payer: { fraudDistance: 6, muleScore: 0.25 },
      payee: null,
    });
    assert.deepEqual(await cache.read({ customerId: 'c2', payerAccountId: 'a2', payeeAccountId: null }), { customer: null, payer: null, payee: null });
    const ttl = await redis.ttl(`${prefix}:gf:a:a1`);
    assert.ok(ttl > 0 && ttl <= 600);
    await assert.rejects(cache.writeAccount('a3', { fraudDistance: Number.NaN, muleScore: 0 }), TypeError);
  });
});
