import type { Redis } from 'ioredis';
import { connectEvents, type Consumer, type EventBus } from '@baas/events';
import type { Logger } from '@baas/observability';
import type { AccountsConfig } from '../config';
import type { LedgerBalance } from '../clients/ledger/client';

/** A balance as the ledger's event carried it, with the journal position it reflects. */
export type CachedBalance = LedgerBalance & { seq: bigint };

export type BalanceReadModel = {
  /**
   * Cached balances (null where there is none, or where it is older than a write this platform made
   * to the account: read-your-writes). Callers fall back to the ledger for nulls.
   */
  get(ledgerAccountIds: readonly string[]): Promise<(CachedBalance | null)[]>;
  /** After a ledger write at `seq`: never serve these accounts a balance older than it. */
  noteWrite(ledgerAccountIds: readonly string[], seq: bigint): Promise<void>;
  stop(): Promise<void>;
};

type LedgerEvent = {
  seq: string;
  transfer: { currency: string };
  accounts: { id: string; debitsPosted: string; creditsPosted: string; debitsPending: string; creditsPending: string }[];
};

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
 * CQRS read model of balances: a durable JetStream consumer of the ledger's events (each carries
 * both accounts' balances right after the transfer and its journal seq) keeps one Redis hash per
 * ledger account, newest seq wins. Reads take the hash when it is at least as new as the last write
 * this subgraph made (`noteWrite`), else the ledger. It only ever serves a balance some event
 * carried, so never one older than the last event seen for that account.
 */
export async function startBalanceReadModel(opts: { config: AccountsConfig; redis: Redis; logger: Logger }): Promise<BalanceReadModel> {
  const { redis, config } = opts;
  const key = (id: string) => `${config.REDIS_PREFIX}:balance:${id}`;
  const minKey = (id: string) => `${config.REDIS_PREFIX}:balance-min:${id}`;
  let bus: EventBus | null = null;
  let consumer: Consumer | null = null;
  // Read-your-writes marks that could not be written (Redis away): until one is, this process reads
  // that account from the ledger, since the cached balance may predate the write. Each later
  // noteWrite or get tries them again.
  const unwritten = new Map<string, bigint>();
  const writeMarks = async () => {
    if (unwritten.size === 0) return;
    const marks = [...unwritten];
    const pipeline = redis.pipeline();
    for (const [id, seq] of marks) pipeline.eval(RAISE_MIN, 1, minKey(id), seq.toString(), TTL_SECONDS);
    const results = (await pipeline.exec()) ?? [];
    marks.forEach(([id, seq], i) => {
      if (results[i] && !results[i]![0] && unwritten.get(id) === seq) unwritten.delete(id);
    });
  };
  let stopped = false;
  let retry: NodeJS.Timeout | undefined;
  const subscribe = async (attempt: number): Promise<void> => {
    try {
      bus ??= await connectEvents({ url: config.NATS_URL, name: 'accounts-balance-read-model', logger: opts.logger });
      consumer = await bus.consume<LedgerEvent>({
        stream: config.LEDGER_STREAM,
        durable: `${config.REDIS_PREFIX.replace(/[^A-Za-z0-9_-]/g, '_')}_balances`,
        filterSubject: 'ledger.transfer.>',
        deliverNew: true,
        inactiveThresholdMs: 3_600_000,
        pullExpiresMs: 1000,
        handler: async ({ data }) => {
          const pipeline = redis.pipeline();
          for (const a of data.accounts) {
            pipeline.eval(SET_IF_NEWER, 1, key(a.id), data.seq, a.debitsPosted, a.creditsPosted, a.debitsPending, a.creditsPending, data.transfer.currency, TTL_SECONDS);
          }
          // ioredis answers a pipeline with an error per command rather than rejecting it: an event
          // that did not reach Redis must fail (and come back), not be acknowledged as applied.
          const failed = ((await pipeline.exec()) ?? []).find(([error]) => error);
          if (failed) throw failed[0];
        },
      });
      if (stopped) await consumer.stop();
      else if (attempt > 0) opts.logger.info({ attempt }, 'balance read model subscribed to the ledger stream');
    } catch (error) {
      // No stream yet (the ledger's relay creates it) or NATS down: balances come from the ledger meanwhile.
      if (attempt === 0) opts.logger.warn({ err: error }, 'balance read model not subscribed yet: retrying; balances come from the ledger meanwhile');
      if (!stopped) retry = setTimeout(() => void subscribe(attempt + 1), Math.min(500 * 2 ** attempt, 10_000));
    }
  };
  await subscribe(0);

  return {
    async get(ids) {
      if (ids.length === 0) return [];
      await writeMarks().catch(() => undefined);
      const pipeline = redis.pipeline();
      for (const id of ids) {
        pipeline.hgetall(key(id));
        pipeline.get(minKey(id));
      }
      const results = (await pipeline.exec()) ?? [];
      return ids.map((_, i) => {
        const hash = results[2 * i]?.[1] as Record<string, string> | null;
        const min = results[2 * i + 1]?.[1] as string | null;
        if (!hash || !hash.seq || unwritten.has(ids[i]!)) return null;
        const seq = BigInt(hash.seq);
        if (min && seq < BigInt(min)) return null;
        const posted = BigInt(hash.cp!) - BigInt(hash.dp!);
        const pendingDebits = BigInt(hash.dq!);
        return { seq, currency: hash.cur!, posted, pendingDebits, pendingCredits: BigInt(hash.cq!), available: posted - pendingDebits };
      });
    },
    async noteWrite(ids, seq) {
      for (const id of ids) if ((unwritten.get(id) ?? -1n) < seq) unwritten.set(id, seq);
      await writeMarks();
      const left = ids.filter((id) => unwritten.has(id));
      if (left.length > 0) throw new Error(`read-your-writes marks not written for ${left.length} account(s); reading them from the ledger until they are`);
    },
    async stop() {
      stopped = true;
      clearTimeout(retry);
      await consumer?.stop().catch(() => undefined);
      await bus?.close().catch(() => undefined);
    },
  };
}
