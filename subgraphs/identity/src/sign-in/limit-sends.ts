import { DomainError } from '@baas/errors';
import type { Logger } from '@baas/observability';
import type { Redis } from 'ioredis';
import type { PrismaClient } from '../generated/prisma/client';

// One round trip, atomic: count this request in the caller's two fixed windows (each starts at its
// first request); only a request neither refuses is counted against the destination. Returns every
// count with its window's remaining time. A key left without expiry gets one.
const SCRIPT = `
local function count(key)
  local current = redis.call('INCR', key)
  local ttl = redis.call('PTTL', key)
  if ttl < 0 then
    redis.call('PEXPIRE', key, ARGV[1])
    ttl = tonumber(ARGV[1])
  end
  return current, ttl
end
local mine, mineTtl = count(KEYS[1])
local fromAddress, addressTtl = count(KEYS[2])
if mine > tonumber(ARGV[2]) or fromAddress > tonumber(ARGV[3]) then
  return {mine, mineTtl, fromAddress, addressTtl, 0, 0}
end
local toDestination, destinationTtl = count(KEYS[3])
return {mine, mineTtl, fromAddress, addressTtl, toDestination, destinationTtl}
`;

/** The quotas of code sends (IdentityConfig: OTP_SENDS_PER_WINDOW, OTP_SENDS_PER_ADDRESS_PER_WINDOW, OTP_DELIVERIES_PER_DESTINATION_PER_WINDOW). */
export type SendQuotas = {
  /** Requests per (tenant, destination, caller address): past it this caller is RATE_LIMITED. */
  perDestinationAndAddress: number;
  /** Requests per caller address, whatever the destination: past it this caller is RATE_LIMITED. */
  perAddress: number;
  /** Requests per (tenant, destination), whoever asks: past it nothing more is sent (HOLD), nobody is refused. */
  perDestination: number;
  windowSeconds: number;
};

export type SendLimit = {
  redis: Redis;
  db: PrismaClient;
  /** Redis key prefix of the deployment (REDIS_PREFIX). */
  prefix: string;
  quotas: SendQuotas;
  logger?: Logger;
};

/** What a send request identifies: the destination (as its blind index) and the caller (its address's blind index). */
export type SendRequest = { tenantId: string; destinationIndex: string; requesterIndex: string };

/** SEND: write a new code. HOLD: the destination had enough codes this window; send nothing (the last code stays usable). */
export type SendDecision = 'SEND' | 'HOLD';

/** The Redis keys (destinations and addresses only as blind indexes). */
export const sendCounterKeys = (prefix: string, r: SendRequest) => ({
  destinationAndAddress: `${prefix}:sign-in:sends:${r.tenantId}:${r.destinationIndex}:${r.requesterIndex}`,
  address: `${prefix}:sign-in:sends-by:${r.requesterIndex}`,
  destination: `${prefix}:sign-in:sends:${r.tenantId}:${r.destinationIndex}`,
});

const rateLimited = (retryAfterSeconds: number) =>
  new DomainError('RATE_LIMITED', `Too many sign-in codes were asked for from here; retry in ${retryAfterSeconds} s.`, { retryAfterSeconds });

/**
 * The rule for sending one-time codes, built so that nobody but the caller pays for the caller's
 * requests (issue 10 item 9: five anonymous calls used to lock an e-mail's owner out):
 *
 * - per (tenant, destination, caller address) and per caller address: RATE_LIMITED for that caller
 *   only (details.retryAfterSeconds); a stranger exhausts their own quota, never the owner's;
 * - per (tenant, destination), whoever asks: past the cap the answer is HOLD, never a refusal: the
 *   caller gets a challenge like any other, but no new code is sent (this stops mail bombing), and
 *   that challenge accepts the last code the destination received (startSignIn links them);
 * - the same whether or not a customer has the destination (no enumeration).
 *
 * When Redis fails it neither lets everything through nor refuses every sign-in: it counts the
 * challenges stored over the last window in PostgreSQL instead (a sliding window).
 */
export async function limitSends(opts: SendLimit, request: SendRequest): Promise<SendDecision> {
  const { quotas } = opts;
  const windowMs = quotas.windowSeconds * 1000;
  const keys = sendCounterKeys(opts.prefix, request);
  let counted: number[];
  try {
    counted = (await opts.redis.eval(
      SCRIPT,
      3,
      keys.destinationAndAddress,
      keys.address,
      keys.destination,
      String(windowMs),
      String(quotas.perDestinationAndAddress),
      String(quotas.perAddress),
    )) as number[];
  } catch (error) {
    opts.logger?.warn({ err: { name: (error as Error)?.name, message: (error as Error)?.message } }, 'sign-in rate limit: Redis failed; counting in PostgreSQL');
    return limitSendsFromDatabase(opts, request);
  }
  const [mine, mineTtl, fromAddress, addressTtl, toDestination] = counted as [number, number, number, number, number, number];
  const retry = (ttl: number) => Math.max(1, Math.ceil((ttl > 0 ? ttl : windowMs) / 1000));
  if (mine > quotas.perDestinationAndAddress) throw rateLimited(retry(mineTtl));
  if (fromAddress > quotas.perAddress) throw rateLimited(retry(addressTtl));
  return toDestination > quotas.perDestination ? 'HOLD' : 'SEND';
}

async function limitSendsFromDatabase(opts: SendLimit, r: SendRequest): Promise<SendDecision> {
  const { quotas } = opts;
  const windowMs = quotas.windowSeconds * 1000;
  const now = Date.now();
  const since = new Date(now - windowMs);
  const refuseIfFull = async (where: Record<string, unknown>, max: number) => {
    const recent = await opts.db.signInChallenge.findMany({ where: { ...where, createdAt: { gt: since } }, select: { createdAt: true }, orderBy: { createdAt: 'desc' }, take: max });
    if (recent.length < max) return;
    // The window frees a slot when the oldest of the last `max` requests leaves it.
    throw rateLimited(Math.max(1, Math.ceil((recent[recent.length - 1]!.createdAt.getTime() + windowMs - now) / 1000)));
  };
  await refuseIfFull({ tenantId: r.tenantId, destinationIndex: r.destinationIndex, requesterIndex: r.requesterIndex }, quotas.perDestinationAndAddress);
  await refuseIfFull({ requesterIndex: r.requesterIndex }, quotas.perAddress);
  const toDestination = await opts.db.signInChallenge.count({ where: { tenantId: r.tenantId, destinationIndex: r.destinationIndex, createdAt: { gt: since } } });
  return toDestination >= quotas.perDestination ? 'HOLD' : 'SEND';
}
