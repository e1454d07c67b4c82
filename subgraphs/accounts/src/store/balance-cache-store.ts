import type { Redis } from 'ioredis';
import type { LedgerBalance } from '../clients/ledger/client';

/** A balance as the ledger's event carried it, with the journal position it reflects. */
export type CachedBalance = LedgerBalance & { seq: bigint };

/** One account's balances in a ledger event (minor units as decimal strings). */
export type EventBalance = { id: string; debitsPosted: string; creditsPosted: string; debitsPending: string; creditsPending: string };

// Writes the balance only if its seq is newer than the stored one (events may be redelivered).
const SET_IF_NEWER = `
local current = redis.call('HGET', KEYS[1], 'seq')
if current and tonumber(current) >= tonumber(ARGV[1]) then return 0 end
redis.call('HSET', KEYS[1], 'seq', ARGV[1], 'dp', ARGV[2], 'cp', ARGV[3], 'dq', ARGV[4], 'cq', ARGV[5], 'cur', ARGV[6])
redis.call('EXPIRE', KEYS[1], ARGV[7])
return 1`;
const RAISE_MIN = `
local current = redis.call('GET', KEYS[1])
if (not current) or tonumber(current) < tonumber(ARGV[1]) then redis.call('SET', KEYS[1], ARGV[1], 'EX', ARGV[2]) end
return 1`;

const TTL_SECONDS = 24 * 3600;

/**
 * Every Redis statement of the balance read model: one hash per ledger account (the newest balance
 * an event carried, by journal seq) and one read-your-writes mark per account (the seq of the last
 * write this subgraph made to it). Keys under `${prefix}:balance:` and `${prefix}:balance-min:`.
 */
export function createBalanceCacheStore(redis: Redis, prefix: string) {
  const key = (id: string) => `${prefix}:balance:${id}`;
  const minKey = (id: string) => `${prefix}:balance-min:${id}`;
  return {
    /** Applies one ledger event's balances (newest seq wins); throws when any did not reach Redis. */
    async applyEvent(seq: string, currency: string, accounts: readonly EventBalance[]): Promise<void> {
      const pipeline = redis.pipeline();
      for (const a of accounts) pipeline.eval(SET_IF_NEWER, 1, key(a.id), seq, a.debitsPosted, a.creditsPosted, a.debitsPending, a.creditsPending, currency, TTL_SECONDS);
      // ioredis answers a pipeline with an error per command rather than rejecting it: an event
      // that did not reach Redis must fail (and come back), not be acknowledged as applied.
      const failed = ((await pipeline.exec()) ?? []).find(([error]) => error);
      if (failed) throw failed[0];
    },
    /** Raises each account's read-your-writes mark to at least its seq; the ids whose mark was written. */
    async raiseMarks(marks: readonly (readonly [string, bigint])[]): Promise<Set<string>> {
      const pipeline = redis.pipeline();
      for (const [id, seq] of marks) pipeline.eval(RAISE_MIN, 1, minKey(id), seq.toString(), TTL_SECONDS);
      const results = (await pipeline.exec()) ?? [];
      return new Set(marks.filter((_, i) => results[i] && !results[i]![0]).map(([id]) => id));
    },
    /** Each account's cached balance, or null where there is none or it is older than the account's mark. */
    async read(ids: readonly string[]): Promise<(CachedBalance | null)[]> {
      const pipeline = redis.pipeline();
      for (const id of ids) {
        pipeline.hgetall(key(id));
        pipeline.get(minKey(id));
      }
      const results = (await pipeline.exec()) ?? [];
      return ids.map((_, i) => {
        const hash = results[2 * i]?.[1] as Record<string, string> | null;
        const min = results[2 * i + 1]?.[1] as string | null;
        if (!hash || !hash.seq) return null;
        const seq = BigInt(hash.seq);
        if (min && seq < BigInt(min)) return null;
        const posted = BigInt(hash.cp!) - BigInt(hash.dp!);
        const pendingDebits = BigInt(hash.dq!);
        return { seq, currency: hash.cur!, posted, pendingDebits, pendingCredits: BigInt(hash.cq!), available: posted - pendingDebits };
      });
    },
  };
}

export type BalanceCacheStore = ReturnType<typeof createBalanceCacheStore>;
