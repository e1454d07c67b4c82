import type { Logger } from '@baas/observability';
import { startSubgraph, type RunningSubgraph } from '@baas/server';
import type { CardsConfig } from './config';
import { createPrismaClient, postgresReadiness } from '@baas/db';
import { PrismaClient } from './generated/prisma/client';
import { createCardsLoaders, resolvers, type CardsContext } from './resolvers/index';
import { cardsPermissions } from './permissions';

/** Starts the cards subgraph. */
export async function createCardsSubgraph(config: CardsConfig, logger: Logger): Promise<RunningSubgraph> {
  const db = createPrismaClient(PrismaClient, config.DATABASE_URL);
  return startSubgraph<CardsContext>({
    name: 'cards',
    schema: new URL('./schema.graphql', import.meta.url),
    resolvers,
    permissions: cardsPermissions,
    config,
    logger,
    context: (base) => ({ ...base, loaders: createCardsLoaders(db) }),
    readiness: postgresReadiness(db),
    onStop: () => db.$disconnect(),
  });
}
