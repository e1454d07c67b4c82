import type { Logger } from '@baas/observability';
import { loadTypeDefs, startSubgraph, type RunningSubgraph } from '@baas/server';
import type { CardsConfig } from './config';
import { createCardsDb } from './data/create-prisma';
import { createCardsLoaders, resolvers, type CardsContext } from './resolvers/index';

/** Starts the cards subgraph. */
export async function createCardsSubgraph(config: CardsConfig, logger: Logger): Promise<RunningSubgraph> {
  const db = createCardsDb(config.DATABASE_URL);
  return startSubgraph<CardsContext>({
    name: 'cards',
    typeDefs: loadTypeDefs(new URL('./schema.graphql', import.meta.url)),
    resolvers,
    port: config.PORT,
    host: config.HOST,
    internalSecret: config.INTERNAL_IDENTITY_SECRET,
    logger,
    context: (base) => ({ ...base, loaders: createCardsLoaders(db) }),
    readiness: async () => ({ postgres: await db.$queryRaw`select 1`.then(() => true, () => false) }),
    onStop: () => db.$disconnect(),
  });
}
