import { after, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { Redis } from 'ioredis';
import { createRateLimits } from '../src/rate-limit';

// The gateway's limiter client batches the commands of one tick into one write (enableAutoPipelining):
// every request must still be counted once, and the ceiling must hold exactly under concurrency.
const redis = new Redis(process.env.REDIS_URL ?? 'redis://127.0.0.1:6379', { lazyConnect: true, maxRetriesPerRequest: 1, enableOfflineQueue: false, enableAutoPipelining: true });
const prefix = `test-rl-${randomUUID()}`;
after(async () => {
  const keys = await redis.keys(`${prefix}:*`);
  if (keys.length) await redis.del(...keys);
  redis.disconnect();
});

describe('rate limits over an auto-pipelined Redis client', () => {
  it('counts every concurrent request once and refuses exactly those over the ceiling', async () => {
    await redis.connect();
    const limits = createRateLimits({ redis, windowSeconds: 60, prefix, byAddress: 1000, byPrincipal: 30 });
    const decisions = await Promise.all(Array.from({ length: 50 }, () => limits.both('10.0.0.1', 'customer:alice')));
    const allowed = decisions.filter((d) => d.principal.allowed);
    assert.equal(allowed.length, 30);
    assert.deepEqual(allowed.map((d) => d.principal.remaining).sort((a, b) => a - b), Array.from({ length: 30 }, (_, i) => i));
    assert.ok(decisions.every((d) => d.address.allowed));
    // Another principal has its own count; the address counted all 51.
    const other = await limits.both('10.0.0.1', 'customer:bob');
    assert.equal(other.principal.remaining, 29);
    assert.equal(other.address.remaining, 1000 - 51);
    assert.equal((await limits.principal('customer:alice')).allowed, false);
  });
});
