import type { Redis } from 'ioredis';
import type { SpendUsage } from '../domain/spend-controls';

/**
 * Card velocity in Redis: per card, the sum and count of approved (and pending) spend in the current UTC
 * day, month and ever, as hashes {sum, count}. An approval reserves its amount under its own id in one
 * Lua script that checks every limit and increments every window together, so concurrent authorisations
 * on one card can never pass a limit between a read and a write; a decline or reversal releases it.
 * Reservations are idempotent by id (a repeat is REPLAYED, a release of nothing releases nothing).
 * Amounts travel as decimal strings and are compared as Lua numbers: exact below 2^53 minor units.
 */

export type VelocityLimits = { readonly perDay?: bigint; readonly perMonth?: bigint; readonly lifetime?: bigint };
export type ReserveResult = { ok: true; replayed: boolean } | { ok: false; control: 'perDay' | 'perMonth' | 'lifetime' };

const RESERVE = `
if redis.call('EXISTS', KEYS[4]) == 1 then return {1, 'REPLAYED'} end
local amount = tonumber(ARGV[1])
local names = {'perDay', 'perMonth', 'lifetime'}
for i = 1, 3 do
  local limit = tonumber(ARGV[1 + i])
  if limit >= 0 then
    local sum = tonumber(redis.call('HGET', KEYS[i], 'sum') or '0')
    if sum + amount > limit then return {0, names[i]} end
  end
end
for i = 1, 3 do
  redis.call('HINCRBY', KEYS[i], 'sum', ARGV[1])
  redis.call('HINCRBY', KEYS[i], 'count', 1)
end
redis.call('EXPIRE', KEYS[1], ARGV[5])
redis.call('EXPIRE', KEYS[2], ARGV[6])
redis.call('HSET', KEYS[4], 'amount', ARGV[1], 'day', KEYS[1], 'month', KEYS[2], 'lifetime', KEYS[3])
redis.call('EXPIRE', KEYS[4], ARGV[6])
return {1, 'RESERVED'}
`;

const RELEASE = `
local r = redis.call('HMGET', KEYS[1], 'amount', 'day', 'month', 'lifetime')
if not r[1] then return '0' end
local remaining = tonumber(r[1])
local release = remaining
if ARGV[1] ~= '' and tonumber(ARGV[1]) < remaining then release = tonumber(ARGV[1]) end
for i = 2, 4 do
  if redis.call('EXISTS', r[i]) == 1 then
    redis.call('HINCRBY', r[i], 'sum', -release)
    if release == remaining then redis.call('HINCRBY', r[i], 'count', -1) end
  end
end
if release == remaining then redis.call('DEL', KEYS[1]) else redis.call('HSET', KEYS[1], 'amount', string.format('%d', remaining - release)) end
return string.format('%d', release)
`;

const DAY_TTL_SECONDS = 2 * 86_400;
const MONTH_TTL_SECONDS = 32 * 86_400;

export function createVelocityStore(redis: Redis, prefix = '') {
  const keys = (cardId: string, at: Date) => {
    const iso = at.toISOString();
    const base = `${prefix}cards:velocity:{${cardId}}`;
    return { day: `${base}:day:${iso.slice(0, 10)}`, month: `${base}:month:${iso.slice(0, 7)}`, lifetime: `${base}:lifetime` };
  };
  const reservationKey = (cardId: string, reservationId: string) => `${prefix}cards:velocity:{${cardId}}:reservation:${reservationId}`;
  const limitArg = (v: bigint | undefined) => (v === undefined ? '-1' : v.toString());
  return {
    /** What the card has spent (reserved) in the UTC day and month of `at`, and ever. */
    async usage(cardId: string, at: Date): Promise<SpendUsage> {
      const k = keys(cardId, at);
      const [day, month, lifetime] = await Promise.all([redis.hget(k.day, 'sum'), redis.hget(k.month, 'sum'), redis.hget(k.lifetime, 'sum')]);
      return { day: BigInt(day ?? 0), month: BigInt(month ?? 0), lifetime: BigInt(lifetime ?? 0) };
    },
    /** Reserves `amount` under `reservationId` if every limit still holds with it, atomically. */
    async reserve(cardId: string, reservationId: string, amount: bigint, at: Date, limits: VelocityLimits): Promise<ReserveResult> {
      const k = keys(cardId, at);
      const [ok, what] = (await redis.eval(
        RESERVE,
        4,
        k.day,
        k.month,
        k.lifetime,
        reservationKey(cardId, reservationId),
        amount.toString(),
        limitArg(limits.perDay),
        limitArg(limits.perMonth),
        limitArg(limits.lifetime),
        String(DAY_TTL_SECONDS),
        String(MONTH_TTL_SECONDS),
      )) as [number, string];
      if (ok === 1) return { ok: true, replayed: what === 'REPLAYED' };
      return { ok: false, control: what as 'perDay' | 'perMonth' | 'lifetime' };
    },
    /** Releases `amount` (all of it when absent) of a reservation; answers what was released (0 when nothing was left). */
    async release(cardId: string, reservationId: string, amount?: bigint): Promise<bigint> {
      const released = (await redis.eval(RELEASE, 1, reservationKey(cardId, reservationId), amount === undefined ? '' : amount.toString())) as string;
      return BigInt(released);
    },
  };
}

export type VelocityStore = ReturnType<typeof createVelocityStore>;
