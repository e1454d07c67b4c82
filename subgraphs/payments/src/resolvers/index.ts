import DataLoader from 'dataloader';
import { createByIdLoader, isUuid, requireInternal, type SubgraphContext } from '@baas/server';
import type { PrismaClient as PaymentsDb } from '../generated/prisma/client';
import type { Resolvers } from '../generated/resolvers-types';

export function createPaymentsLoaders(db: PaymentsDb) {
  return {
    payment: createByIdLoader((ids: string[]) => db.payment.findMany({ where: { id: { in: ids } } })),
  };
}

export type PaymentsContext = SubgraphContext & { loaders: ReturnType<typeof createPaymentsLoaders> };

/** Until this domain's issue defines customer access, only operators and internal services may read. */
async function loadInternal<T>(ctx: PaymentsContext, loader: DataLoader<string, T | null>, id: string): Promise<T | null> {
  requireInternal(ctx.identity);
  return isUuid(id) ? loader.load(id) : null;
}

const money = (amount: bigint, currency: string) => ({ minorUnits: amount.toString(), currency });

export const resolvers: Resolvers = {
  Query: {
    payment: (_, args, ctx) => loadInternal(ctx, ctx.loaders.payment, args.id),
  },
  Payment: {
    __resolveReference: (ref, ctx) => loadInternal(ctx, ctx.loaders.payment, ref.id),
    amount: (row) => money(row.amount, row.currency),
    createdAt: (row) => row.createdAt.toISOString(),
  },
};
