import { createHash } from 'node:crypto';
import type { Redis } from 'ioredis';
import type { VelocitySnapshot, WindowTotals } from '../domain/fraud-features';

/**
 * The velocity counters of the scoring path, in Redis, read and updated in ONE round trip (a Lua
 * script, atomic): what the payer account sent and the payee received in the last hour and day,
 * the payer's 30-day mean amount, the payees it paid in 180 days, the devices and IPs its customer
 * used in 90 days, and when the account was opened.
 *
 * - Time buckets with expiry, one hash {c: count, s: sum} per bucket: minutes for the hour (the
 *   current minute and the 59 before it), quarter hours for the day (the current one and the 95
 *   before it), days for the 30-day mean (the current UTC day and the 29 before it). A window is
 *   thus 59-60 min, 23.75-24 h and 29-30 days long. Sums are integers (HINCRBY) and come back as
 *   two exact limbs (high digits, low 9 digits) that are joined as a bigint: never a float.
 * - The script reads before it writes, so the movement being scored is never in its own counts.
 * - Each movement is counted once: a marker per (tenant, movement) holds the request fingerprint
 *   for MARKER_TTL; a repeat with the same fingerprint reads without counting again (DUPLICATE),
 *   one with another fingerprint changes nothing (KEY_REUSED).
 * - Devices and IPs are kept as salted SHA-256 digests, never the values.
 * - Counters are per payer account and currency (and per payee and currency); account ids are the
 *   accounts subgraph's ids, a payee outside the platform is whatever key the caller gives (never a
 *   clear PIX key: pass a blind index).
 */
export type VelocityObservation = {
  tenantId: string;
  movementId: string;
  /** The request fingerprint (requestFingerprint) that a repeat must carry to count as the same movement. */
  fingerprint: string;
  customerId: string;
  payerAccountId: string;
  payeeAccountId: string | null;
  currency: string;
  amount: bigint;
  now: Date;
  deviceId?: string | null;
  ip?: string | null;
  accountOpenedAt?: Date | null;
};

export type VelocityStatus = 'RECORDED' | 'DUPLICATE' | 'KEY_REUSED';
export type VelocityStore = ReturnType<typeof createVelocityStore>;

const MINUTE = 60_000;
const QUARTER = 15 * MINUTE;
const DAY = 24 * 60 * MINUTE;
const MARKER_TTL_MS = 7 * DAY;

const SCRIPT = `
local now = tonumber(ARGV[1])
local amount = ARGV[2]
local minute, quarter, day = tonumber(ARGV[3]), tonumber(ARGV[4]), tonumber(ARGV[5])
local payee, device, ip, opened, fp = ARGV[6], ARGV[7], ARGV[8], ARGV[9], ARGV[10]
local DAYMS = 86400000

local prev = redis.call('GET', KEYS[1])
if prev and prev ~= fp then return {-1} end

local function window(base, kind, current, n)
  local count, high, low = 0, 0, 0
  for i = 0, n - 1 do
    local v = redis.call('HMGET', base .. kind .. (current - i), 'c', 's')
    if v[1] then
      count = count + tonumber(v[1])
      local s = v[2] or '0'
      local len = #s
      if len <= 9 then low = low + tonumber(s)
      else
        high = high + tonumber(string.sub(s, 1, len - 9))
        low = low + tonumber(string.sub(s, len - 8))
      end
    end
  end
  return count, high, low
end

local function seen(key, member, since)
  if member == '' then return -1 end
  local score = redis.call('ZSCORE', key, member)
  if score and tonumber(score) > since then return 1 end
  return 0
end

local out = {prev and 1 or 0}
local function push(a, b, c) out[#out + 1] = a; out[#out + 1] = b; out[#out + 1] = c end
push(window(KEYS[2], ':m:', minute, 60))
push(window(KEYS[2], ':q:', quarter, 96))
push(window(KEYS[2], ':d:', day, 30))
if payee ~= '' then
  push(window(KEYS[3], ':m:', minute, 60))
  push(window(KEYS[3], ':q:', quarter, 96))
else
  push(0, 0, 0)
  push(0, 0, 0)
end
out[#out + 1] = seen(KEYS[4], payee, now - 180 * DAYMS)
out[#out + 1] = seen(KEYS[5], device, now - 90 * DAYMS)
out[#out + 1] = seen(KEYS[6], ip, now - 90 * DAYMS)
if opened ~= '' then
  redis.call('SET', KEYS[7], opened, 'PX', 400 * DAYMS)
  out[#out + 1] = opened
else
  out[#out + 1] = redis.call('GET', KEYS[7]) or ''
end
if prev then return out end

local function bump(key, ttl)
  redis.call('HINCRBY', key, 'c', 1)
  redis.call('HINCRBY', key, 's', amount)
  redis.call('PEXPIRE', key, ttl)
end
bump(KEYS[2] .. ':m:' .. minute, 2 * 3600000)
bump(KEYS[2] .. ':q:' .. quarter, DAYMS + 3600000)
bump(KEYS[2] .. ':d:' .. day, 31 * DAYMS)
if payee ~= '' then
  bump(KEYS[3] .. ':m:' .. minute, 2 * 3600000)
  bump(KEYS[3] .. ':q:' .. quarter, DAYMS + 3600000)
end
local function remember(key, member, keep)
  if member == '' then return end
  redis.call('ZADD', key, now, member)
  redis.call('ZREMRANGEBYSCORE', key, '-inf', '(' .. (now - keep))
  redis.call('PEXPIRE', key, keep + DAYMS)
end
remember(KEYS[4], payee, 180 * DAYMS)
remember(KEYS[5], device, 90 * DAYMS)
remember(KEYS[6], ip, 90 * DAYMS)
redis.call('SET', KEYS[1], fp, 'PX', ARGV[11])
return out
`;

type ScriptReply = (number | string)[];

/** The script as a command (ioredis runs it by EVALSHA, loading it once per connection). */
type WithScript = Redis & { riskVelocityObserve?: (...args: (string | number)[]) => Promise<ScriptReply> };

const totals = (r: ScriptReply, at: number): WindowTotals => ({
  count: Number(r[at]),
  sum: BigInt(r[at + 1]!) * 1_000_000_000n + BigInt(r[at + 2]!),
});
const flag = (v: number | string | undefined): boolean | null => (Number(v) < 0 ? null : Number(v) === 1);

export function createVelocityStore(redis: Redis, opts: { prefix?: string } = {}) {
  const prefix = opts.prefix ?? 'risk:v';
  const client = redis as WithScript;
  if (!client.riskVelocityObserve) client.defineCommand('riskVelocityObserve', { numberOfKeys: 7, lua: SCRIPT });
  const run = (...args: (string | number)[]) => client.riskVelocityObserve!(...args);
  const digest = (customerId: string, kind: string, value: string) =>
    createHash('sha256').update(`${kind}\u0000${customerId}\u0000${value}`).digest('base64url').slice(0, 22);

  return {
    /**
     * Reads the counters as they were before this movement and counts it (once per tenant and
     * movement). KEY_REUSED: the movement id was counted with another fingerprint; nothing changed.
     */
    async observe(q: VelocityObservation): Promise<{ status: VelocityStatus; snapshot: VelocitySnapshot | null }> {
      if (q.amount <= 0n) throw new RangeError('velocity: the amount must be positive');
      const now = q.now.getTime();
      const keys = [
        `${prefix}:mv:${q.tenantId}:${q.movementId}`,
        `${prefix}:po:${q.payerAccountId}:${q.currency}`,
        `${prefix}:pi:${q.payeeAccountId ?? ''}:${q.currency}`,
        `${prefix}:pp:${q.payerAccountId}`,
        `${prefix}:dv:${q.tenantId}:${q.customerId}`,
        `${prefix}:ip:${q.tenantId}:${q.customerId}`,
        `${prefix}:open:${q.payerAccountId}`,
      ];
      const opened = q.accountOpenedAt && Number.isFinite(q.accountOpenedAt.getTime()) ? String(q.accountOpenedAt.getTime()) : '';
      const r = await run(
        ...keys,
        now,
        q.amount.toString(),
        Math.floor(now / MINUTE),
        Math.floor(now / QUARTER),
        Math.floor(now / DAY),
        q.payeeAccountId ?? '',
        q.deviceId ? digest(q.customerId, 'device', q.deviceId) : '',
        q.ip ? digest(q.customerId, 'ip', q.ip) : '',
        opened,
        q.fingerprint,
        MARKER_TTL_MS,
      );
      if (Number(r[0]) === -1) return { status: 'KEY_REUSED', snapshot: null };
      const openedAt = r[19] === '' || r[19] === undefined ? null : new Date(Number(r[19]));
      return {
        status: Number(r[0]) === 1 ? 'DUPLICATE' : 'RECORDED',
        snapshot: {
          payerOut1h: totals(r, 1),
          payerOut24h: totals(r, 4),
          payerOut30d: totals(r, 7),
          payeeIn1h: totals(r, 10),
          payeeIn24h: totals(r, 13),
          payeeKnown: flag(r[16]),
          deviceSeen: flag(r[17]),
          ipSeen: flag(r[18]),
          accountOpenedAt: openedAt,
        },
      };
    },
  };
}
