import DataLoader from 'dataloader';
import { requireInternal, type SubgraphContext } from '@baas/server';
import type { LedgerDb } from '../data/create-prisma';

export function createLedgerLoaders(db: LedgerDb) {
  return {
    ledgerAccount: new DataLoader(async (ids: readonly string[]) => {
      const rows = await db.ledgerAccount.findMany({ where: { id: { in: [...ids] } } });
      const byId = new Map(rows.map((r) => [r.id, r]));
      return ids.map((id) => byId.get(id) ?? null);
    }),
    transfer: new DataLoader(async (ids: readonly string[]) => {
      const rows = await db.transfer.findMany({ where: { id: { in: [...ids] } } });
      const byId = new Map(rows.map((r) => [r.id, r]));
      return ids.map((id) => byId.get(id) ?? null);
    }),
  };
}

export type LedgerContext = SubgraphContext & { loaders: ReturnType<typeof createLedgerLoaders> };

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** Until this domain's issue defines customer access, only operators and internal services may read. */
async function loadInternal<T>(ctx: LedgerContext, loader: DataLoader<string, T | null>, id: string): Promise<T | null> {
  requireInternal(ctx.identity);
  return UUID.test(id) ? loader.load(id) : null;
}

const fields = {
  LedgerAccount: {
    postedBalance: (row: { creditsPosted: bigint; debitsPosted: bigint; currency: string }) => ({
      minorUnits: (row.creditsPosted - row.debitsPosted).toString(),
      currency: row.currency,
    }),
  },
  Transfer: {
    amount: (row: { amount: bigint; currency: string }) => ({ minorUnits: row.amount.toString(), currency: row.currency }),
    debitAccount: (row: { debitAccountId: string }) => ({ id: row.debitAccountId }),
    creditAccount: (row: { creditAccountId: string }) => ({ id: row.creditAccountId }),
    createdAt: (row: { createdAt: Date }) => row.createdAt.toISOString(),
  },
};

export const resolvers = {
  Query: {
    ledgerAccount: (_: unknown, args: { id: string }, ctx: LedgerContext) => loadInternal(ctx, ctx.loaders.ledgerAccount, args.id),
    transfer: (_: unknown, args: { id: string }, ctx: LedgerContext) => loadInternal(ctx, ctx.loaders.transfer, args.id),
  },
  LedgerAccount: {
    __resolveReference: (ref: { id: string }, ctx: LedgerContext) => loadInternal(ctx, ctx.loaders.ledgerAccount, ref.id),
    ...fields.LedgerAccount,
  },
  Transfer: {
    __resolveReference: (ref: { id: string }, ctx: LedgerContext) => loadInternal(ctx, ctx.loaders.transfer, ref.id),
    ...fields.Transfer,
  },
};
