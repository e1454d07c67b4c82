import type { Logger } from '@baas/observability';
import { startSubgraph, type RunningSubgraph } from '@baas/server';
import type { PaymentsConfig } from './config';
import { createPrismaClient, postgresReadiness } from '@baas/db';
import { PrismaClient } from './generated/prisma/client';
import { createPaymentsLoaders, resolvers, type PaymentsContext } from './resolvers/index';
import { paymentsPermissions } from './permissions';

/** Starts the payments subgraph. */
export async function createPaymentsSubgraph(config: PaymentsConfig, logger: Logger): Promise<RunningSubgraph> {
  const db = createPrismaClient(PrismaClient, config.DATABASE_URL);
  return startSubgraph<PaymentsContext>({
    name: 'payments',
    schema: new URL('./schema.graphql', import.meta.url),
    resolvers,
    permissions: paymentsPermissions,
    config,
    logger,
    context: (base) => ({ ...base, loaders: createPaymentsLoaders(db) }),
    readiness: postgresReadiness(db),
    onStop: () => db.$disconnect(),
  });
}
