import type { Logger } from '@baas/observability';
import { startSubgraph, type RunningSubgraph } from '@baas/server';
import type { AccountsConfig } from './config';
import { createPrismaClient, postgresReadiness } from '@baas/db';
import { PrismaClient } from './generated/prisma/client';
import { resolvers, type AccountsContext } from './resolvers/index';
import { createAccountsLoaders } from './services/accounts';
import { accountsPermissions } from './permissions';

/** Starts the accounts subgraph. */
export async function createAccountsSubgraph(config: AccountsConfig, logger: Logger): Promise<RunningSubgraph> {
  const db = createPrismaClient(PrismaClient, config.DATABASE_URL);
  return startSubgraph<AccountsContext>({
    name: 'accounts',
    schema: new URL('./schema.graphql', import.meta.url),
    resolvers,
    permissions: accountsPermissions,
    config,
    logger,
    context: (base) => ({ ...base, db, loaders: createAccountsLoaders(db) }),
    readiness: postgresReadiness(db),
    onStop: () => db.$disconnect(),
  });
}
