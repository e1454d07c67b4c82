import { DomainError } from '@baas/errors';
import type { Logger } from '@baas/observability';
import type { Redis } from 'ioredis';
import type { PrismaClient } from '../generated/prisma/client';

// One round trip, atomic: count this send in the destination's window (which starts at its first
// send) and return the count and the window's remaining time. A key left without expiry (it cannot
// happen through this script, but a key is never allowed to count forever) gets one.
const SCRIPT = `
local current = redis.call('INCR', KEYS[1])
local ttl = redis.call('PTTL', KEYS[1])
if ttl < 0 then
  redis.call('PEXPIRE', KEYS[1], ARGV[1])
  ttl = tonumber(ARGV[1])
end
return {current, ttl}
`;

export type SendLimit = {
  redis: Redis;
  db: PrismaClient;
  /** Redis key prefix of the deployment (REDIS_PREFIX). */
  prefix: string;
  max: number;
  windowSeconds: number;
  logger?: Logger;
};

/** The Redis key counting sends to one destination of one tenant (the destination only as its blind index). */
export const sendCounterKey = (prefix: string, tenantId: string, destinationIndex: string) => `${prefix}:sign-in:sends:${tenantId}:${destinationIndex}`;

const rateLimited = (retryAfterSeconds: number) =>
  new DomainError('RATE_LIMITED', `Too many codes were sent to this destination; retry in ${retryAfterSeconds} s.`, { retryAfterSeconds });

/**
 * Counts one send to (tenant, destination) and throws RATE_LIMITED (details.retryAfterSeconds) past
 * `max` per window: a fixed window in Redis, starting at the window's first send. Applies whether
 * or not a customer has the destination, so the limit is no enumeration oracle either.
 *
 * When Redis fails it neither lets everything through (SMS pumping, mail bombing) nor refuses every
 * sign-in: it counts the challenges stored for the destination over the last window instead (a
 * sliding window over sign_in_challenge, which has an index for exactly this).
 */
export async function limitSends(opts: SendLimit, tenantId: string, destinationIndex: string): Promise<void> {
  const windowMs = opts.windowSeconds * 1000;
  let counted: [number, number];
  try {
    counted = (await opts.redis.eval(SCRIPT, 1, sendCounterKey(opts.prefix, tenantId, destinationIndex), String(windowMs))) as [number, number];
  } catch (error) {
    opts.logger?.warn({ err: { name: (error as Error)?.name, message: (error as Error)?.message } }, 'sign-in rate limit: Redis failed; counting in PostgreSQL');
    return limitSendsFromDatabase(opts, tenantId, destinationIndex);
  }
  const [count, ttl] = counted;
  if (count > opts.max) throw rateLimited(Math.max(1, Math.ceil((ttl > 0 ? ttl : windowMs) / 1000)));
}

async function limitSendsFromDatabase(opts: SendLimit, tenantId: string, destinationIndex: string): Promise<void> {
  const windowMs = opts.windowSeconds * 1000;
  const now = Date.now();
  const recent = await opts.db.signInChallenge.findMany({
    where: { tenantId, destinationIndex, createdAt: { gt: new Date(now - windowMs) } },
    select: { createdAt: true },
    orderBy: { createdAt: 'desc' },
    take: opts.max,
  });
  if (recent.length < opts.max) return;
  // The window frees a slot when the oldest of the last `max` sends leaves it.
  const oldest = recent[recent.length - 1]!.createdAt.getTime();
  throw rateLimited(Math.max(1, Math.ceil((oldest + windowMs - now) / 1000)));
}
