import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { Redis } from 'ioredis';
import { createVelocityStore, type VelocityStore } from '../../src/store/velocity-store';

/** The velocity store on the real Redis: the reservations every authorisation makes. */
describe('card velocity in Redis', () => {
  let redis: Redis;
  let velocity: VelocityStore;
  const prefix = `test-${randomUUID().slice(0, 8)}:`;
  before(() => {
    redis = new Redis(process.env.REDIS_URL ?? 'redis://127.0.0.1:6379');
    velocity = createVelocityStore(redis, prefix);
  });
  after(async () => {
    const keys = await redis.keys(`${prefix}*`);
    if (keys.length) await redis.del(...keys);
    redis.disconnect();
  });

  it('reserves once per id, sums day/month/lifetime, refuses past a limit naming it, and releases in part or in full', async () => {
    const card = randomUUID();
    const at = new Date('2026-12-06T10:00:00Z');
    assert.deepEqual(await velocity.reserve(card, 'a', 300n, at, { perDay: 1000n }), { ok: true, replayed: false });
    assert.deepEqual(await velocity.reserve(card, 'a', 300n, at, { perDay: 1000n }), { ok: true, replayed: true });
    assert.deepEqual(await velocity.usage(card, at), { day: 300n, month: 300n, lifetime: 300n });
    assert.deepEqual(await velocity.reserve(card, 'b', 701n, at, { perDay: 1000n }), { ok: false, control: 'perDay' });
    assert.deepEqual(await velocity.reserve(card, 'b', 701n, at, { perMonth: 1000n }), { ok: false, control: 'perMonth' });
    assert.deepEqual(await velocity.reserve(card, 'b', 701n, at, { lifetime: 1000n }), { ok: false, control: 'lifetime' });
    assert.deepEqual(await velocity.reserve(card, 'b', 700n, at, { perDay: 1000n }), { ok: true, replayed: false });
    // The next day starts afresh; the month and lifetime carry on.
    const tomorrow = new Date('2026-12-07T10:00:00Z');
    assert.deepEqual(await velocity.usage(card, tomorrow), { day: 0n, month: 1000n, lifetime: 1000n });
    assert.equal(await velocity.release(card, 'b', 200n), 200n);
    assert.deepEqual(await velocity.usage(card, at), { day: 800n, month: 800n, lifetime: 800n });
    assert.equal(await velocity.release(card, 'b'), 500n);
    assert.equal(await velocity.release(card, 'b'), 0n);
    assert.equal(await velocity.release(card, 'a', 1000n), 300n);
    assert.deepEqual(await velocity.usage(card, at), { day: 0n, month: 0n, lifetime: 0n });
  });

  it('100 concurrent reservations against one limit admit exactly what fits', async () => {
    const card = randomUUID();
    const at = new Date();
    const results = await Promise.all(Array.from({ length: 100 }, (_, i) => velocity.reserve(card, `r${i}`, 30n, at, { perDay: 1000n })));
    assert.equal(results.filter((r) => r.ok).length, 33);
    assert.equal((await velocity.usage(card, at)).day, 990n);
  });
});
