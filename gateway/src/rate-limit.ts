import type { Redis } from 'ioredis';

export type RateLimitDecision = { allowed: boolean; limit: number; remaining: number; resetSeconds: number };

// Counts this request in each key's current window and returns, per key, the count and the window's
// remaining time: one round trip whatever the number of keys. Fixed windows aligned to the key, as
// the seed's "N per 15 minutes". Sent once, then called by its SHA (ioredis defineCommand).
const SCRIPT = `
local out = {}
for i, key in ipairs(KEYS) do
  local current = redis.call('INCR', key)
  if current == 1 then redis.call('PEXPIRE', key, ARGV[1]) end
  out[#out + 1] = current
  out[#out + 1] = redis.call('PTTL', key)
end
return out
`;

type Counting = Redis & { baasRateCount(numKeys: number, ...args: string[]): Promise<number[]> };

/**
 * The gateway's two Redis rate limits, shared by every gateway instance: by client address (before
 * any token work, so guessing tokens is limited too) and by principal (an API client, a token's
 * subject, else the address). Both are counted in one round trip when the principal is already
 * known; a token not yet verified costs the address check first. If Redis fails, requests are let
 * through (fail open) and the failure is reported: an outage of the limiter must not take the API down.
 */
export function createRateLimits(opts: { redis: Redis; windowSeconds: number; prefix?: string; byAddress: number; byPrincipal: number; onError?: (error: unknown) => void }) {
  const windowMs = opts.windowSeconds * 1000;
  const prefix = opts.prefix ?? 'ratelimit';
  const redis = opts.redis as Counting;
  if (typeof redis.baasRateCount !== 'function') redis.defineCommand('baasRateCount', { lua: SCRIPT });
  const key = (scope: 'by-ip' | 'principal', id: string, window: number) => (scope === 'by-ip' ? `${prefix}:by-ip:${id}:${window}` : `${prefix}:${id}:${window}`);
  const decide = (max: number, count: number, ttl: number): RateLimitDecision => ({
    allowed: count <= max,
    limit: max,
    remaining: Math.max(0, max - count),
    resetSeconds: Math.max(1, Math.ceil((ttl > 0 ? ttl : windowMs) / 1000)),
  });
  const open = (max: number): RateLimitDecision => ({ allowed: true, limit: max, remaining: max, resetSeconds: opts.windowSeconds });

  async function count(keys: { scope: 'by-ip' | 'principal'; id: string; max: number }[]): Promise<RateLimitDecision[]> {
    const window = Math.floor(Date.now() / windowMs);
    try {
      const out = await redis.baasRateCount(keys.length, ...keys.map((k) => key(k.scope, k.id, window)), String(windowMs));
      return keys.map((k, i) => decide(k.max, Number(out[2 * i]), Number(out[2 * i + 1])));
    } catch (error) {
      opts.onError?.(error);
      return keys.map((k) => open(k.max));
    }
  }

  return {
    addressPolicy: `${opts.byAddress};w=${opts.windowSeconds}`,
    principalPolicy: `${opts.byPrincipal};w=${opts.windowSeconds}`,
    /** The address alone (before a token is verified). */
    async address(ip: string): Promise<RateLimitDecision> {
      return (await count([{ scope: 'by-ip', id: ip, max: opts.byAddress }]))[0]!;
    },
    /** The principal alone (after its token was verified). */
    async principal(principalKey: string): Promise<RateLimitDecision> {
      return (await count([{ scope: 'principal', id: principalKey, max: opts.byPrincipal }]))[0]!;
    },
    /** Both in one round trip: anonymous callers, and tokens already verified (no token work left to protect). */
    async both(ip: string, principalKey: string): Promise<{ address: RateLimitDecision; principal: RateLimitDecision }> {
      const [address, principal] = await count([
        { scope: 'by-ip', id: ip, max: opts.byAddress },
        { scope: 'principal', id: principalKey, max: opts.byPrincipal },
      ]);
      return { address: address!, principal: principal! };
    },
  };
}

export type RateLimits = ReturnType<typeof createRateLimits>;
