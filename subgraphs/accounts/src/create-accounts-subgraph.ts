import type { Logger } from '@baas/observability';
import { loadTypeDefs, startSubgraph, type RunningSubgraph } from '@baas/server';
import type { AccountsConfig } from './config';
import { createAccountsDb } from './data/create-prisma';
import { resolvers, type AccountsContext } from './resolvers/index';
import { createAccountsLoaders } from './services/accounts';

/** Starts the accounts subgraph. */
export async function createAccountsSubgraph(config: AccountsConfig, logger: Logger): Promise<RunningSubgraph> {
  const db = createAccountsDb(config.DATABASE_URL);
  return startSubgraph<AccountsContext>({
    name: 'accounts',
    typeDefs: loadTypeDefs(new URL('./schema.graphql', import.meta.url)),
    resolvers,
    port: config.PORT,
    host: config.HOST,
    internalSecret: config.INTERNAL_IDENTITY_SECRET,
    logger,
    context: (base) => ({ ...base, db, loaders: createAccountsLoaders(db) }),
    readiness: async () => ({ postgres: await db.$queryRaw`select 1`.then(() => true, () => false) }),
    onStop: () => db.$disconnect(),
  });
}
