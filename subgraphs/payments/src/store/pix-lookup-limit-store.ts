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
  /**
   * Counts one verification code a customer has sent to a destination (by its SHA-256 digest, never
   * the clear value): RATE_LIMITED past `codeSendsPerHour` (default 5) this hour. Caps how many codes
   * (5 tries each) a registrant may guess at and how often one customer can mail or text an address;
   * it is the caller's own quota, so nobody else's requests lock the address's owner out.
   */
  codeSend(subject: LookupSubject, destinationDigest: string): Promise<void>;
};

const WINDOW_MS = 60_000;
const HOUR_MS = 3_600_000;

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
 * Fixed windows in Redis, each key expiring with its window: lookups per minute per (tenant,
 * customer) at `<prefix>pix:lookup:<tenant>:<customer>:<minute>`, code sends per hour per (tenant,
 * customer, destination digest) at `<prefix>pix:code:<tenant>:<customer>:<digest>:<hour>`. `prefix`
 * is config REDIS_PREFIX ('payments:'). Redis errors propagate (refused while the quota cannot be
 * counted: anti-scraping fails closed).
 */
export function createPixLookupLimitStore(redis: Redis, opts: { prefix: string; perMinute: number; missCost?: number; codeSendsPerHour?: number; clock?: () => number }): PixLookupLimit {
  if (!Number.isSafeInteger(opts.perMinute) || opts.perMinute < 1) throw new RangeError('perMinute must be a positive integer');
  const missCost = opts.missCost ?? 1;
  const clock = opts.clock ?? Date.now;
  const client = redis as WithScript;
  if (!client.paymentsPixLookupTake) client.defineCommand('paymentsPixLookupTake', { numberOfKeys: 1, lua: SCRIPT });

  const codeSendsPerHour = opts.codeSendsPerHour ?? 5;
  const count = async (name: string, windowMs: number, cost: number) => {
    const now = clock();
    const window = Math.floor(now / windowMs);
    const [n] = await client.paymentsPixLookupTake!(`${opts.prefix}${name}:${window}`, cost, windowMs * 2);
    return { count: Number(n), retryAfterSeconds: Math.max(1, Math.ceil(((window + 1) * windowMs - now) / 1000)) };
  };
  const take = (s: LookupSubject, cost: number) => count(`pix:lookup:${s.tenantId}:${s.customerId}`, WINDOW_MS, cost);

  return {
    async hit(s) {
      const { count, retryAfterSeconds } = await take(s, 1);
      if (count > opts.perMinute) {
        throw new DomainError('RATE_LIMITED', `Too many PIX key lookups; retry in ${retryAfterSeconds} s.`, { retryAfterSeconds, limit: opts.perMinute });
      }
    },
    async miss(s) {
      if (missCost > 0) await take(s, missCost);
    },
    async codeSend(s, destinationDigest) {
      const { count: sends, retryAfterSeconds } = await count(`pix:code:${s.tenantId}:${s.customerId}:${destinationDigest}`, HOUR_MS, 1);
      if (sends > codeSendsPerHour) {
        throw new DomainError('RATE_LIMITED', `Too many verification codes were sent to this address; retry in ${retryAfterSeconds} s.`, { retryAfterSeconds, limit: codeSendsPerHour });
      }
    },
  };
}
