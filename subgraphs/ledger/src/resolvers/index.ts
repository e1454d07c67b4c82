import DataLoader from 'dataloader';
import { createByIdLoader, isUuid, requireInternal, type SubgraphContext } from '@baas/server';
import type { PrismaClient as LedgerDb } from '../generated/prisma/client';
import type { Resolvers } from '../generated/resolvers-types';

export function createLedgerLoaders(db: LedgerDb) {
  return {
    ledgerAccount: createByIdLoader((ids: string[]) => db.ledgerAccount.findMany({ where: { id: { in: ids } } })),
    transfer: createByIdLoader((ids: string[]) => db.transfer.findMany({ where: { id: { in: ids } } })),
  };
}

export type LedgerContext = SubgraphContext & { loaders: ReturnType<typeof createLedgerLoaders> };

/** Until this domain's issue defines customer access, only operators and internal services may read. */
async function loadInternal<T>(ctx: LedgerContext, loader: DataLoader<string, T | null>, id: string): Promise<T | null> {
  requireInternal(ctx.identity);
  return isUuid(id) ? loader.load(id) : null;
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
