import type { Redis } from 'ioredis';

export type RateLimitDecision = { allowed: boolean; limit: number; remaining: number; resetSeconds: number };

// One round trip: count this request in the client's current window and return the count and the
// window's remaining time. Fixed windows aligned to the key, as the seed's "N per 15 minutes".
const SCRIPT = `
local current = redis.call('INCR', KEYS[1])
if current == 1 then redis.call('PEXPIRE', KEYS[1], ARGV[1]) end
local ttl = redis.call('PTTL', KEYS[1])
return {current, ttl}
`;

/**
 * A Redis rate limiter shared by every gateway instance. If Redis fails, requests are let through
 * (fail open) and the failure is reported: an outage of the limiter must not take the API down.
 */
export function createRateLimiter(opts: { redis: Redis; max: number; windowSeconds: number; prefix?: string; onError?: (error: unknown) => void }) {
  const windowMs = opts.windowSeconds * 1000;
  const prefix = opts.prefix ?? 'ratelimit';
  return {
    policy: `${opts.max};w=${opts.windowSeconds}`,
    async check(clientKey: string): Promise<RateLimitDecision> {
      const window = Math.floor(Date.now() / windowMs);
      try {
        const [count, ttl] = (await opts.redis.eval(SCRIPT, 1, `${prefix}:${clientKey}:${window}`, String(windowMs))) as [number, number];
        const resetSeconds = Math.max(1, Math.ceil((ttl > 0 ? ttl : windowMs) / 1000));
        return { allowed: count <= opts.max, limit: opts.max, remaining: Math.max(0, opts.max - count), resetSeconds };
      } catch (error) {
        opts.onError?.(error);
        return { allowed: true, limit: opts.max, remaining: opts.max, resetSeconds: opts.windowSeconds };
      }
    },
  };
}

export type RateLimiter = ReturnType<typeof createRateLimiter>;
