import type { Logger } from '@baas/observability';
import { startSubgraph, type RunningSubgraph } from '@baas/server';
import type { LedgerConfig } from './config';
import { createPrismaClient, postgresReadiness } from '@baas/db';
import { PrismaClient } from './generated/prisma/client';
import { createLedgerLoaders, resolvers, type LedgerContext } from './resolvers/index';

/** Starts the ledger subgraph. */
export async function createLedgerSubgraph(config: LedgerConfig, logger: Logger): Promise<RunningSubgraph> {
  const db = createPrismaClient(PrismaClient, config.DATABASE_URL);
  return startSubgraph<LedgerContext>({
    name: 'ledger',
    schema: new URL('./schema.graphql', import.meta.url),
    resolvers,
    config,
    logger,
    context: (base) => ({ ...base, loaders: createLedgerLoaders(db) }),
    readiness: postgresReadiness(db),
    onStop: () => db.$disconnect(),
  });
}
