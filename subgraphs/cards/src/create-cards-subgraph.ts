import { createPrismaClient, postgresReadiness } from '@baas/db';
import type { Logger } from '@baas/observability';
import { startSubgraph, type RunningSubgraph } from '@baas/server';
import type { CardsConfig } from './config';
import { createCardsLoaders, type CardsContext } from './context';
import { PrismaClient } from './generated/prisma/client';
import { cardsPermissions } from './permissions';
import { resolvers } from './resolvers/index';
import { createCardStore } from './store/card-store';

/** Starts the cards subgraph: the composition root (opens its database, builds its store, closes it on stop). */
export async function createCardsSubgraph(config: CardsConfig, logger: Logger): Promise<RunningSubgraph> {
  const db = createPrismaClient(PrismaClient, config.DATABASE_URL);
  const cards = createCardStore(db);
  return startSubgraph<CardsContext>({
    name: 'cards',
    schema: new URL('./schema.graphql', import.meta.url),
    resolvers,
    permissions: cardsPermissions,
    config,
    logger,
    context: (base) => ({ ...base, loaders: createCardsLoaders(cards) }),
    readiness: postgresReadiness(db),
    onStop: () => db.$disconnect(),
  });
}
