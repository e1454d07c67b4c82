import DataLoader from 'dataloader';
import { requireInternal, type SubgraphContext } from '@baas/server';
import type { CardsDb } from '../data/create-prisma';
import type { Resolvers } from '../generated/resolvers-types';

export function createCardsLoaders(db: CardsDb) {
  return {
    card: new DataLoader(async (ids: readonly string[]) => {
      const rows = await db.card.findMany({ where: { id: { in: [...ids] } } });
      const byId = new Map(rows.map((r) => [r.id, r]));
      return ids.map((id) => byId.get(id) ?? null);
    }),
  };
}

export type CardsContext = SubgraphContext & { loaders: ReturnType<typeof createCardsLoaders> };

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** Until this domain's issue defines customer access, only operators and internal services may read. */
async function loadInternal<T>(ctx: CardsContext, loader: DataLoader<string, T | null>, id: string): Promise<T | null> {
  requireInternal(ctx.identity);
  return UUID.test(id) ? loader.load(id) : null;
}

export const resolvers: Resolvers = {
  Query: {
    card: (_, args, ctx) => loadInternal(ctx, ctx.loaders.card, args.id),
  },
  Card: {
    __resolveReference: (ref, ctx) => loadInternal(ctx, ctx.loaders.card, ref.id),
    createdAt: (row) => row.createdAt.toISOString(),
  },
};
