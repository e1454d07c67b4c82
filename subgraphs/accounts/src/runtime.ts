import type { Redis } from 'ioredis';
import type { Logger } from '@baas/observability';
import type { AccountsConfig } from './config';
import type { PrismaClient } from './generated/prisma/client';
import type { LedgerClient } from './clients/ledger/client';
import type { IdentityDirectory } from './clients/identity';
import { ensurePlatformAccounts } from './services/platform-accounts';
import { startBalanceReadModel, type BalanceReadModel } from './services/balance-read-model';
import { startSagaRecovery } from './services/saga-recovery';
import { registerSagaHandler } from './services/transfer-saga';
import { resumeFxSaga } from './services/fx-service';

// Recovery finishes FX sagas a crash left PENDING by re-sending the same linked batch (idempotent).
registerSagaHandler('FX', resumeFxSaga);

/** What every saga step and background worker of this process shares. */
export type SagaDeps = {
  db: PrismaClient;
  redis: Redis;
  ledger: LedgerClient;
  /** Who the customers and tenants are (identity's standing queries). */
  directory: IdentityDirectory;
  config: AccountsConfig;
  logger: Logger;
  readModel: BalanceReadModel | null;
  /** False once the process is stopping: a saga abandons between steps (as a crash would) and recovery finishes it later. */
  isRunning(): boolean;
};

export type AccountsRuntime = SagaDeps & { stop(): Promise<void> };

/** The background side of the subgraph: the balance read model and the saga recovery worker. */
export async function createRuntime(opts: { config: AccountsConfig; db: PrismaClient; redis: Redis; ledger: LedgerClient; directory: IdentityDirectory; logger: Logger }): Promise<AccountsRuntime> {
  let running = true;
  const readModel = opts.config.BALANCE_READ_MODEL ? await startBalanceReadModel({ ...opts }) : null;
  const deps: SagaDeps = { ...opts, readModel, isRunning: () => running };
  const recovery = startSagaRecovery(deps);
  // Platform ledger accounts are claimed up front (in the background: the ledger may start later).
  const platform = ensurePlatformAccounts(deps);
  return {
    ...deps,
    async stop() {
      running = false;
      await platform.stop();
      await recovery.stop();
      await readModel?.stop();
    },
  };
}
