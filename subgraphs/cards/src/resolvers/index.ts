import DataLoader from 'dataloader';
import { createByIdLoader, isUuid, requireInternal, type SubgraphContext } from '@baas/server';
import type { PrismaClient as CardsDb } from '../generated/prisma/client';
import type { Resolvers } from '../generated/resolvers-types';

export function createCardsLoaders(db: CardsDb) {
  return {
    card: createByIdLoader((ids: string[]) => db.card.findMany({ where: { id: { in: ids } } })),
  };
}

export type CardsContext = SubgraphContext & { loaders: ReturnType<typeof createCardsLoaders> };

/** Until this domain's issue defines customer access, only operators and internal services may read. */
async function loadInternal<T>(ctx: CardsContext, loader: DataLoader<string, T | null>, id: string): Promise<T | null> {
  requireInternal(ctx.identity);
  return isUuid(id) ? loader.load(id) : null;
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
