import { Redis } from 'ioredis';
import { logClientErrors, type Logger } from '@baas/observability';
import { startSubgraph, type RunningSubgraph } from '@baas/server';
import type { AccountsConfig } from './config';
import { createPrismaClient, postgresReadiness } from '@baas/db';
import { PrismaClient } from './generated/prisma/client';
import { resolvers } from './resolvers/index';
import { createAccountsLoaders, type AccountsContext, type AccountsDeps, type MoneyMovementDeps } from './context';
import { createAccountStore } from './store/account-store';
import { createTenantSettingsStore } from './store/tenant-settings-store';
import { accountsPermissions } from './permissions';
import { createLedgerClient } from './clients/ledger/client';
import type { AccountRow } from './store/account-store';
import { createAccountsIdentityDirectory } from './clients/identity';
import { createStaticRateProvider } from './domain/rates';
import { createAccountsSagaEngine } from './sagas/accounts-sagas';
import { createFxQuoteStore } from './store/fx-quote-store';
import { createSagaStore } from './store/saga-store';
import { ensureLedgerAccount } from './use-cases/ensure-ledger-account';
import { startBalanceReadModel } from './workers/balance-read-model';
import { createOutflowPorts } from './workers/outflow-ports';
import { ensurePlatformAccounts } from './workers/platform-accounts';
import type { RiskPort } from '@baas/policy';
import { createRiskUnavailableCounter } from '@baas/policy';
import { createRiskClient } from './clients/risk/client';
import { createKycClient } from './clients/kyc/client';
import { startAccountsSagaRecovery } from './workers/saga-recovery';
import { startAccountEventRelay } from './workers/account-event-relay';

export type RunningAccounts = RunningSubgraph;

/** Starts the accounts subgraph: accounts, balances, transfer sagas, FX, statements. */
/** `opts.risk` replaces the risk port (tests); otherwise the risk subgraph at RISK_URL, or the built-in rules when it is `off`. */
export async function createAccountsSubgraph(config: AccountsConfig, logger: Logger, opts: { risk?: RiskPort } = {}): Promise<RunningAccounts> {
  const db = createPrismaClient(PrismaClient, config.DATABASE_URL);
  const redis = new Redis(config.REDIS_URL, { lazyConnect: true, maxRetriesPerRequest: 2, enableOfflineQueue: false });
  logClientErrors(redis, { logger, store: 'redis' });
  await redis.connect();
  const ledger = createLedgerClient({ url: config.LEDGER_URL, secret: config.INTERNAL_IDENTITY_SECRET });
  const directory = createAccountsIdentityDirectory(config);
  const kyc = createKycClient({ url: config.KYC_URL, secret: config.INTERNAL_IDENTITY_SECRET, timeoutMs: config.KYC_TIMEOUT_MS });
  const deps: AccountsDeps = { accounts: createAccountStore(db), sagas: createSagaStore(db), tenantSettings: createTenantSettingsStore(db, config), ledger, directory, kyc, config };
  const riskUnavailable = createRiskUnavailableCounter();
  const runtime = await startMoneyMovement({ config, db, redis, ledger, directory, logger, accounts: deps.accounts, sagas: deps.sagas, tenantSettings: deps.tenantSettings, riskUnavailable, risk: opts.risk });
  try {
    const running = await startSubgraph<AccountsContext>({
      name: 'accounts',
      schema: new URL('./schema.graphql', import.meta.url),
      resolvers,
      permissions: accountsPermissions,
      config,
      logger,
      context: (base) => ({ ...base, ...deps, db, redis, money: runtime.money, loaders: createAccountsLoaders({ accounts: deps.accounts, ledger, readModel: runtime.readModel }) }),
      readiness: async () => ({ ...(await postgresReadiness(db)()), redis: redis.status === 'ready' }),
      onStop: async () => {
        await runtime.stop();
        redis.disconnect();
        await db.$disconnect();
      },
    });
    // risk_unavailable_total on /metrics (a prom-client collector; @baas/policy depends on no prom-client).
    running.metrics.registry.registerMetric(riskUnavailable.metric as never);
    return running;
  } catch (error) {
    await runtime.stop();
    redis.disconnect();
    await db.$disconnect();
    throw error;
  }
}

/**
 * The money-moving side: the balance read model, the saga engine (transfers, fundings, FX) with its
 * stores and the policy ports, the saga recovery worker, the platform ledger accounts (claimed in
 * the background: the ledger may start later) and the event relay (ACCOUNTS_EVENTS_RELAY). stop() abandons sagas between steps, as a crash would.
 */
async function startMoneyMovement(opts: {
  config: AccountsConfig;
  db: PrismaClient;
  redis: Redis;
  ledger: ReturnType<typeof createLedgerClient>;
  directory: ReturnType<typeof createAccountsIdentityDirectory>;
  logger: Logger;
  accounts: AccountsDeps['accounts'];
  sagas: AccountsDeps['sagas'];
  tenantSettings: AccountsDeps['tenantSettings'];
  riskUnavailable: ReturnType<typeof createRiskUnavailableCounter>;
  risk: RiskPort | undefined;
}) {
  const { config, db, ledger, logger } = opts;
  let running = true;
  const readModel = config.BALANCE_READ_MODEL ? await startBalanceReadModel({ config, redis: opts.redis, logger }) : null;
  const { sagas } = opts;
  const quotes = createFxQuoteStore(db);
  const leaseMs = config.SAGA_LEASE_SECONDS * 1000;
  const accounts = { findByIds: (ids: readonly string[]) => opts.accounts.findByIds(ids), ensureLedgerAccount: (row: AccountRow) => ensureLedgerAccount({ ledger, accounts: opts.accounts }, row) };
  const riskClient = config.RISK_URL === 'off' ? null : createRiskClient({ url: config.RISK_URL, secret: config.INTERNAL_IDENTITY_SECRET, timeoutMs: config.RISK_TIMEOUT_MS + 1000 });
  const ports = createOutflowPorts({
    db,
    sagas,
    directory: opts.directory,
    leaseMs,
    riskClient,
    riskTimeoutMs: config.RISK_TIMEOUT_MS,
    memoVerdicts: config.ACCOUNTS_RISK_VERDICT_MEMO,
    tenantSettings: opts.tenantSettings,
    accounts,
    logger,
    metrics: opts.riskUnavailable,
    ...(opts.risk ? { risk: opts.risk } : {}),
  });
  const engine = createAccountsSagaEngine({ store: sagas, config, isRunning: () => running, ledger, limits: ports.sagaLimits, risk: ports.risk, quotes, accounts, readModel, logger });
  const recovery = startAccountsSagaRecovery({ engine, config, logger });
  const platform = ensurePlatformAccounts({ db, ledger, config, logger });
  const relay = config.ACCOUNTS_EVENTS_RELAY
    ? startAccountEventRelay({ databaseUrl: config.DATABASE_URL, natsUrl: config.NATS_URL, stream: config.ACCOUNTS_STREAM, logger, subjectPrefix: config.EVENTS_SUBJECT_PREFIX })
    : null;
  const money: MoneyMovementDeps = {
    sagas,
    quotes,
    accounts,
    engine,
    leaseMs,
    standing: ports.standing,
    risk: ports.risk,
    policy: ports.screening,
    rates: createStaticRateProvider(config.FX_MID_RATES),
    directory: opts.directory,
    config,
  };
  return {
    readModel,
    money,
    async stop() {
      running = false;
      await platform.stop();
      await recovery.stop();
      await readModel?.stop();
      await relay?.stop();
    },
  };
}
