import { Redis } from 'ioredis';
import { logClientErrors, type Logger } from '@baas/observability';
import { startSubgraph, type RunningSubgraph } from '@baas/server';
import type { AccountsConfig } from './config';
import { createPrismaClient, postgresReadiness } from '@baas/db';
import { PrismaClient } from './generated/prisma/client';
import { resolvers, type AccountsContext } from './resolvers/index';
import { createAccountsLoaders } from './services/accounts';
import { accountsPermissions } from './permissions';
import { createLedgerClient } from './clients/ledger/client';
import { createRuntime, type AccountsRuntime } from './runtime';
import { createAccountsIdentityDirectory } from './clients/identity';

export type RunningAccounts = RunningSubgraph & { runtime: AccountsRuntime };

/** Starts the accounts subgraph: accounts, balances, transfer sagas, FX, statements. */
export async function createAccountsSubgraph(config: AccountsConfig, logger: Logger): Promise<RunningAccounts> {
  const db = createPrismaClient(PrismaClient, config.DATABASE_URL);
  const redis = new Redis(config.REDIS_URL, { lazyConnect: true, maxRetriesPerRequest: 2, enableOfflineQueue: false });
  logClientErrors(redis, { logger, store: 'redis' });
  await redis.connect();
  const ledger = createLedgerClient({ url: config.LEDGER_URL, secret: config.INTERNAL_IDENTITY_SECRET });
  const directory = createAccountsIdentityDirectory(config);
  const runtime = await createRuntime({ config, db, redis, ledger, directory, logger });
  try {
    const running = await startSubgraph<AccountsContext>({
      name: 'accounts',
      schema: new URL('./schema.graphql', import.meta.url),
      resolvers,
      permissions: accountsPermissions,
      config,
      logger,
      context: (base) => ({ ...base, db, redis, ledger, directory, config, runtime, loaders: createAccountsLoaders(db, { ledger, readModel: runtime.readModel }) }),
      readiness: async () => ({ ...(await postgresReadiness(db)()), redis: redis.status === 'ready' }),
      onStop: async () => {
        await runtime.stop();
        redis.disconnect();
        await db.$disconnect();
      },
    });
    return { ...running, runtime };
  } catch (error) {
    await runtime.stop();
    redis.disconnect();
    await db.$disconnect();
    throw error;
  }
}
