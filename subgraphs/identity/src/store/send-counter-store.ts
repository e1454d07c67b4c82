import type { Redis } from 'ioredis';

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

/** What a send request identifies: the destination (as its blind index) and the caller (its address's blind index). */
export type SendRequest = { tenantId: string; destinationIndex: string; requesterIndex: string };

/** The Redis keys (destinations and addresses only as blind indexes). */
export const sendCounterKeys = (prefix: string, r: SendRequest) => ({
  destinationAndAddress: `${prefix}:sign-in:sends:${r.tenantId}:${r.destinationIndex}:${r.requesterIndex}`,
  address: `${prefix}:sign-in:sends-by:${r.requesterIndex}`,
  destination: `${prefix}:sign-in:sends:${r.tenantId}:${r.destinationIndex}`,
});

/** The counts of one request in its three windows, with the remaining time (ms) of the caller's two. */
export type SendCounts = { mine: number; mineTtl: number; fromAddress: number; addressTtl: number; toDestination: number };

/** Fixed-window counters of sign-in code sends (Redis). */
export function createSendCounterStore(redis: Redis, prefix: string) {
  return {
    /** Counts the request (the destination only when neither of the caller's quotas refuses it). Throws when Redis fails. */
    count: async (request: SendRequest, windowMs: number, limits: { perDestinationAndAddress: number; perAddress: number }): Promise<SendCounts> => {
      const keys = sendCounterKeys(prefix, request);
      const counted = (await redis.eval(
        SCRIPT,
        3,
        keys.destinationAndAddress,
        keys.address,
        keys.destination,
        String(windowMs),
        String(limits.perDestinationAndAddress),
        String(limits.perAddress),
      )) as number[];
      const [mine, mineTtl, fromAddress, addressTtl, toDestination] = counted as [number, number, number, number, number, number];
      return { mine, mineTtl, fromAddress, addressTtl, toDestination };
    },
  };
}

export type SendCounterStore = ReturnType<typeof createSendCounterStore>;
