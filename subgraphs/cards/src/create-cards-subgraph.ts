import { createPrismaClient, postgresReadiness } from '@baas/db';
import type { Logger } from '@baas/observability';
import { createPiiVault, generatePiiKey, parsePiiKeys, type PiiVault } from '@baas/pii';
import { createRiskPort, RISK_OFF, type RiskPort } from '@baas/policy';
import { createIdentityDirectory, startSubgraph, type RunningSubgraph } from '@baas/server';
import { Redis } from 'ioredis';
import { createAccountsClient } from './clients/accounts/client';
import { createDecisionClient } from './clients/decision/client';
import { createLedgerClient } from './clients/ledger/client';
import { createRiskClient } from './clients/risk/client';
import { cvvKeyOf, type CardsConfig } from './config';
import { createCardsLoaders, type CardsContext, type CardsDeps } from './context';
import { PrismaClient } from './generated/prisma/client';
import { cardsPermissions } from './permissions';
import { resolvers } from './resolvers/index';
import { createCardSettingsStore } from './store/card-settings-store';
import { createCardStore } from './store/card-store';
import { createNetworkTokenStore } from './store/network-token-store';
import { challengeCodeKey } from './domain/three-ds';
import { createAuthorizationStore } from './store/authorization-store';
import { createChallengeStore } from './store/challenge-store';
import { createCardLookupStore, type CardSettingsRow } from './store/card-lookup-store';
import { createSettingsCache } from './store/settings-cache';
import { createCardTransactionStore } from './store/card-transaction-store';
import { createVaultStore } from './store/vault-store';
import { createVelocityStore } from './store/velocity-store';
import { getCurrency } from '@baas/money';
import { createChallengeCodeSender } from './use-cases/challenge-code-sender';
import { createIdentityCodeClient } from './clients/identity/client';
import type { NetworkDeps } from './use-cases/process-network-message';
import { startCardEventRelay } from './workers/card-event-relay';
import { startExpireHoldsWorker } from './workers/expire-holds';

/** The PII vault sealing PANs; outside production (the config refuses production without keys), a key made for this process. */
function loadPiiVault(config: CardsConfig, logger: Logger): PiiVault {
  if (config.PII_KEYS && config.PII_BLIND_INDEX_KEY) {
    const keys = parsePiiKeys(config.PII_KEYS);
    return createPiiVault({ keys, activeKeyId: config.PII_ACTIVE_KEY_ID ?? Object.keys(keys).at(-1)!, blindIndexKey: config.PII_BLIND_INDEX_KEY });
  }
  logger.warn('PII_KEYS is not set: sealing PANs with a key made for this process only (cards issued now cannot be revealed after a restart)');
  return createPiiVault({ keys: { dev: generatePiiKey() }, activeKeyId: 'dev', blindIndexKey: generatePiiKey() });
}

/**
 * Starts the cards subgraph: the composition root. Opens its database, builds the stores, the
 * accounts and identity clients, the PII vault and the CVV key, the event relay (CARDS_EVENTS_RELAY),
 * and closes them on stop.
 */
export async function createCardsSubgraph(config: CardsConfig, logger: Logger): Promise<RunningSubgraph> {
  const db = createPrismaClient(PrismaClient, config.DATABASE_URL);
  const secret = config.INTERNAL_IDENTITY_SECRET;
  const directory = createIdentityDirectory({ caller: 'cards', url: config.IDENTITY_URL, secret, cacheMs: config.IDENTITY_CACHE_MS });
  if (!config.CARD_CVV_KEY) logger.warn('CARD_CVV_KEY is not set: deriving CVVs with the development key');
  const pii = loadPiiVault(config, logger);
  const accounts = createAccountsClient({ url: config.ACCOUNTS_URL, secret });
  const urlPolicy = { allowHttp: config.CARDS_ALLOW_INSECURE_URLS, allowLoopback: config.CARDS_ALLOW_INSECURE_URLS };
  // Redis carries velocity only: while it is away, authorisations answer 96 and nothing is held.
  const redis = new Redis(config.REDIS_URL, { lazyConnect: true, maxRetriesPerRequest: 2, enableOfflineQueue: false });
  redis.on('error', () => undefined);
  redis.connect().catch(() => undefined);
  const riskClient = config.RISK_URL === 'off' ? null : createRiskClient({ url: config.RISK_URL, secret, timeoutMs: config.RISK_TIMEOUT_MS + 1000 });
  const risk: RiskPort = riskClient
    ? createRiskPort({ score: (outflow) => riskClient.score(outflow), failMode: (tenantId) => accounts.riskFailMode(tenantId), timeoutMs: config.RISK_TIMEOUT_MS, logger })
    : RISK_OFF;
  // Tenants' card settings on the authorisation path: cached 5 s per process, forgotten here when set.
  const settingsCache = createSettingsCache<CardSettingsRow | null>(5_000);
  const lookup = createCardLookupStore(db, settingsCache);
  const challenges = createChallengeStore(db);
  // 3-D Secure codes: identity sends them to the cardholder's own e-mail or phone (sendCustomerCode); cards
  // never holds the address. Identity unreachable: the challenge is refused (fail closed).
  const identityCodes = createIdentityCodeClient({ url: config.IDENTITY_URL, secret });
  const tokens = createNetworkTokenStore(db);
  const network: NetworkDeps = {
    cards: lookup,
    tokens,
    authorizations: createAuthorizationStore(db),
    transactions: createCardTransactionStore(db),
    velocity: createVelocityStore(redis, config.REDIS_PREFIX),
    ledger: createLedgerClient({ url: config.LEDGER_URL, secret }),
    vault: pii,
    cvvKey: cvvKeyOf(config),
    risk,
    decision: createDecisionClient({ policy: urlPolicy }),
    holdDays: config.CARDS_HOLD_DAYS,
    challenges,
    logger,
  };
  const expiry = startExpireHoldsWorker({ ...network, cards: lookup }, { logger, intervalMs: config.CARDS_EXPIRE_INTERVAL_MS });
  const deps: CardsDeps = {
    cards: createCardStore(db),
    vault: createVaultStore(db),
    settings: createCardSettingsStore(db, settingsCache),
    tokens,
    accounts,
    pii,
    decisionUrlPolicy: urlPolicy,
    network,
    challenges,
    codeKey: challengeCodeKey(cvvKeyOf(config)),
    codes: createChallengeCodeSender({ identity: identityCodes, exponentOf: (currency) => getCurrency(currency).minorUnits, logger }),
    cvvKey: cvvKeyOf(config),
    settingsOf: {
      bin: config.CARDS_BIN,
      tokenBin: config.CARDS_TOKEN_BIN,
      brand: config.CARDS_BRAND,
      validityYears: config.CARDS_VALIDITY_YEARS,
      revealStepUpSeconds: config.CARD_REVEAL_STEP_UP_SECONDS,
      sandbox: config.SANDBOX,
    },
    tenantSandbox: async (tenantId) => (await directory.tenantStanding(tenantId))?.sandbox === true,
  };
  const relay = config.CARDS_EVENTS_RELAY
    ? startCardEventRelay({ databaseUrl: config.DATABASE_URL, natsUrl: config.NATS_URL, stream: config.CARDS_STREAM, logger, subjectPrefix: config.EVENTS_SUBJECT_PREFIX })
    : null;
  return startSubgraph<CardsContext>({
    name: 'cards',
    schema: new URL('./schema.graphql', import.meta.url),
    resolvers,
    permissions: cardsPermissions,
    config,
    logger,
    context: (base) => ({ ...base, loaders: createCardsLoaders(deps), cards: { ...deps, audit: base.audit } }),
    readiness: postgresReadiness(db),
    onStop: async () => {
      await expiry.stop();
      await relay?.stop();
      redis.disconnect();
      await db.$disconnect();
    },
  });
}
