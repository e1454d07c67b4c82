import type { Resolvers } from '../generated/resolvers-types';
import { getCard } from '../use-cases/get-card';

export const resolvers: Resolvers = {
  Query: {
    card: (_, args, ctx) => getCard({ cards: ctx.loaders.card }, ctx.identity, args.id),
  },
  Card: {
    __resolveReference: (ref, ctx) => getCard({ cards: ctx.loaders.card }, ctx.identity, ref.id),
    createdAt: (row) => row.createdAt.toISOString(),
  },
};
