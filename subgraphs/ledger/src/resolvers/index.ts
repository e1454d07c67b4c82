import DataLoader from 'dataloader';
import { requireInternal, type SubgraphContext } from '@baas/server';
import type { LedgerDb } from '../data/create-prisma';
import type { Resolvers } from '../generated/resolvers-types';

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

const money = (amount: bigint, currency: string) => ({ minorUnits: amount.toString(), currency });

export const resolvers: Resolvers = {
  Query: {
    ledgerAccount: (_, args, ctx) => loadInternal(ctx, ctx.loaders.ledgerAccount, args.id),
    transfer: (_, args, ctx) => loadInternal(ctx, ctx.loaders.transfer, args.id),
  },
  LedgerAccount: {
    __resolveReference: (ref, ctx) => loadInternal(ctx, ctx.loaders.ledgerAccount, ref.id),
    postedBalance: (row) => money(row.creditsPosted - row.debitsPosted, row.currency),
  },
  Transfer: {
    __resolveReference: (ref, ctx) => loadInternal(ctx, ctx.loaders.transfer, ref.id),
    amount: (row) => money(row.amount, row.currency),
    debitAccount: async (row, _, ctx) => (await ctx.loaders.ledgerAccount.load(row.debitAccountId))!,
    creditAccount: async (row, _, ctx) => (await ctx.loaders.ledgerAccount.load(row.creditAccountId))!,
    createdAt: (row) => row.createdAt.toISOString(),
  },
};
