import type { Logger } from '@baas/observability';
import { loadTypeDefs, startSubgraph, type RunningSubgraph } from '@baas/server';
import type { PaymentsConfig } from './config';
import { createPaymentsDb } from './data/create-prisma';
import { createPaymentsLoaders, resolvers, type PaymentsContext } from './resolvers/index';

/** Starts the payments subgraph. */
export async function createPaymentsSubgraph(config: PaymentsConfig, logger: Logger): Promise<RunningSubgraph> {
  const db = createPaymentsDb(config.DATABASE_URL);
  return startSubgraph<PaymentsContext>({
    name: 'payments',
    typeDefs: loadTypeDefs(new URL('./schema.graphql', import.meta.url)),
    resolvers,
    port: config.PORT,
    host: config.HOST,
    internalSecret: config.INTERNAL_IDENTITY_SECRET,
    logger,
    context: (base) => ({ ...base, loaders: createPaymentsLoaders(db) }),
    readiness: async () => ({ postgres: await db.$queryRaw`select 1`.then(() => true, () => false) }),
    onStop: () => db.$disconnect(),
  });
}
