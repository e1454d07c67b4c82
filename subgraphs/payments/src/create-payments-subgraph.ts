import { createPrismaClient, postgresReadiness } from '@baas/db';
import type { Logger } from '@baas/observability';
import { startSubgraph, type RunningSubgraph } from '@baas/server';
import type { PaymentsConfig } from './config';
import { createPaymentsLoaders, type PaymentsContext } from './context';
import { PrismaClient } from './generated/prisma/client';
import { paymentsPermissions } from './permissions';
import { resolvers } from './resolvers/index';
import { createPaymentStore } from './store/payment-store';

/** Starts the payments subgraph: the composition root (opens its database, builds its store, closes it on stop). */
export async function createPaymentsSubgraph(config: PaymentsConfig, logger: Logger): Promise<RunningSubgraph> {
  const db = createPrismaClient(PrismaClient, config.DATABASE_URL);
  const payments = createPaymentStore(db);
  return startSubgraph<PaymentsContext>({
    name: 'payments',
    schema: new URL('./schema.graphql', import.meta.url),
    resolvers,
    permissions: paymentsPermissions,
    config,
    logger,
    context: (base) => ({ ...base, loaders: createPaymentsLoaders(payments) }),
    readiness: postgresReadiness(db),
    onStop: () => db.$disconnect(),
  });
}
