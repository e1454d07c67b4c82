import type { Redis } from 'ioredis';
import { DomainError } from '@baas/errors';

/** Whose lookups are counted: a customer of a tenant (the payer account's owner). */
export type LookupSubject = { tenantId: string; customerId: string };

/**
 * The DICT lookup quota (anti-scraping): `perMinute` units per customer per minute, in Redis.
 * Every lookup costs one unit before it runs (`hit`: RATE_LIMITED once over); a lookup of a key
 * that does not exist costs `missCost` more afterwards (`miss`), so walking through guessed keys
 * runs out several times faster than paying real ones.
 */
export type PixLookupLimit = {
  /** Counts one lookup; DomainError RATE_LIMITED (details.retryAfterSeconds, limit) when the subject is over its quota this minute. */
  hit(subject: LookupSubject): Promise<void>;
  /** Charges a lookup that found nothing (never throws for the quota: the next hit does). */
  miss(subject: LookupSubject): Promise<void>;
};

const WINDOW_MS = 60_000;

/** INCRBY the window's counter and give it its expiry when new: [count, pttl]. Atomic. */
const SCRIPT = `
local count = redis.call('INCRBY', KEYS[1], ARGV[1])
if count == tonumber(ARGV[1]) then redis.call('PEXPIRE', KEYS[1], ARGV[2]) end
local ttl = redis.call('PTTL', KEYS[1])
if ttl < 0 then redis.call('PEXPIRE', KEYS[1], ARGV[2]); ttl = tonumber(ARGV[2]) end
return {count, ttl}
`;

type WithScript = Redis & { paymentsPixLookupTake?: (key: string, cost: number, ttlMs: number) => Promise<[number, number]> };

/**
 * A fixed one-minute window per (tenant, customer): key `<prefix>pix:lookup:<tenant>:<customer>:<minute>`,
 * expiring with its window. `prefix` is config REDIS_PREFIX ('payments:'). Redis errors propagate
 * (a lookup is refused while the quota cannot be counted: anti-scraping fails closed).
 */
export function createPixLookupLimitStore(redis: Redis, opts: { prefix: string; perMinute: number; missCost?: number; clock?: () => number }): PixLookupLimit {
  if (!Number.isSafeInteger(opts.perMinute) || opts.perMinute < 1) throw new RangeError('perMinute must be a positive integer');
  const missCost = opts.missCost ?? 1;
  const clock = opts.clock ?? Date.now;
  const client = redis as WithScript;
  if (!client.paymentsPixLookupTake) client.defineCommand('paymentsPixLookupTake', { numberOfKeys: 1, lua: SCRIPT });

  const take = async (s: LookupSubject, cost: number) => {
    const now = clock();
    const window = Math.floor(now / WINDOW_MS);
    const key = `${opts.prefix}pix:lookup:${s.tenantId}:${s.customerId}:${window}`;
    const [count] = await client.paymentsPixLookupTake!(key, cost, WINDOW_MS * 2);
    return { count: Number(count), retryAfterMs: (window + 1) * WINDOW_MS - now };
  };

  return {
    async hit(s) {
      const { count, retryAfterMs } = await take(s, 1);
      if (count > opts.perMinute) {
        const retryAfterSeconds = Math.max(1, Math.ceil(retryAfterMs / 1000));
        throw new DomainError('RATE_LIMITED', `Too many PIX key lookups; retry in ${retryAfterSeconds} s.`, { retryAfterSeconds, limit: opts.perMinute });
      }
    },
    async miss(s) {
      if (missCost > 0) await take(s, missCost);
    },
  };
}
