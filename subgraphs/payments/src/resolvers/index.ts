import DataLoader from 'dataloader';
import { requireInternal, type SubgraphContext } from '@baas/server';
import type { PaymentsDb } from '../data/create-prisma';
import type { Resolvers } from '../generated/resolvers-types';

export function createPaymentsLoaders(db: PaymentsDb) {
  return {
    payment: new DataLoader(async (ids: readonly string[]) => {
      const rows = await db.payment.findMany({ where: { id: { in: [...ids] } } });
      const byId = new Map(rows.map((r) => [r.id, r]));
      return ids.map((id) => byId.get(id) ?? null);
    }),
  };
}

export type PaymentsContext = SubgraphContext & { loaders: ReturnType<typeof createPaymentsLoaders> };

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** Until this domain's issue defines customer access, only operators and internal services may read. */
async function loadInternal<T>(ctx: PaymentsContext, loader: DataLoader<string, T | null>, id: string): Promise<T | null> {
  requireInternal(ctx.identity);
  return UUID.test(id) ? loader.load(id) : null;
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
