import type { Redis } from 'ioredis';
import { connectEvents, type Consumer, type EventBus } from '@baas/events';
import type { Logger } from '@baas/observability';
import type { AccountsConfig } from '../config';
import { createBalanceCacheStore, type CachedBalance, type EventBalance } from '../store/balance-cache-store';

export type { CachedBalance } from '../store/balance-cache-store';

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

type LedgerEvent = { seq: string; transfer: { currency: string }; accounts: EventBalance[] };

/**
 * CQRS read model of balances: a durable JetStream consumer of the ledger's events (each carries
 * both accounts' balances right after the transfer and its journal seq) keeps one Redis hash per
 * ledger account, newest seq wins. Reads take the hash when it is at least as new as the last write
 * this subgraph made (`noteWrite`), else the ledger. It only ever serves a balance some event
 * carried, so never one older than the last event seen for that account.
 */
export async function startBalanceReadModel(opts: { config: AccountsConfig; redis: Redis; logger: Logger }): Promise<BalanceReadModel> {
  const { redis, config } = opts;
  const cache = createBalanceCacheStore(redis, config.REDIS_PREFIX);
  let bus: EventBus | null = null;
  let consumer: Consumer | null = null;
  // Read-your-writes marks that could not be written (Redis away): until one is, this process reads
  // that account from the ledger, since the cached balance may predate the write. Each later
  // noteWrite or get tries them again.
  const unwritten = new Map<string, bigint>();
  const writeMarks = async () => {
    if (unwritten.size === 0) return;
    const marks = [...unwritten];
    const written = await cache.raiseMarks(marks);
    for (const [id, seq] of marks) if (written.has(id) && unwritten.get(id) === seq) unwritten.delete(id);
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
        handler: ({ data }) => cache.applyEvent(data.seq, data.transfer.currency, data.accounts),
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
      const cached = await cache.read(ids);
      return cached.map((balance, i) => (unwritten.has(ids[i]!) ? null : balance));
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
