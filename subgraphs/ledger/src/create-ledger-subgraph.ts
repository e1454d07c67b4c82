import type { Logger } from '@baas/observability';
import { loadTypeDefs, startSubgraph, type RunningSubgraph } from '@baas/server';
import type { LedgerConfig } from './config';
import { createLedgerDb } from './data/create-prisma';
import { createLedgerLoaders, resolvers, type LedgerContext } from './resolvers/index';

/** Starts the ledger subgraph. */
export async function createLedgerSubgraph(config: LedgerConfig, logger: Logger): Promise<RunningSubgraph> {
  const db = createLedgerDb(config.DATABASE_URL);
  return startSubgraph<LedgerContext>({
    name: 'ledger',
    typeDefs: loadTypeDefs(new URL('./schema.graphql', import.meta.url)),
    resolvers,
    port: config.PORT,
    host: config.HOST,
    internalSecret: config.INTERNAL_IDENTITY_SECRET,
    logger,
    context: (base) => ({ ...base, loaders: createLedgerLoaders(db) }),
    readiness: async () => ({ postgres: await db.$queryRaw`select 1`.then(() => true, () => false) }),
    onStop: () => db.$disconnect(),
  });
}
