import { createPrismaClient, postgresReadiness } from '@baas/db';
import type { Logger } from '@baas/observability';
import { createPiiVault, generatePiiKey, parsePiiKeys, type PiiVault } from '@baas/pii';
import { createIdentityDirectory, startSubgraph, type RunningSubgraph } from '@baas/server';
import { createAccountsClient } from './clients/accounts/client';
import { cvvKeyOf, type CardsConfig } from './config';
import { createCardsLoaders, type CardsContext, type CardsDeps } from './context';
import { PrismaClient } from './generated/prisma/client';
import { cardsPermissions } from './permissions';
import { resolvers } from './resolvers/index';
import { createCardSettingsStore } from './store/card-settings-store';
import { createCardStore } from './store/card-store';
import { createNetworkTokenStore } from './store/network-token-store';
import { createVaultStore } from './store/vault-store';
import { startCardEventRelay } from './workers/card-event-relay';

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
  const deps: CardsDeps = {
    cards: createCardStore(db),
    vault: createVaultStore(db),
    settings: createCardSettingsStore(db),
    tokens: createNetworkTokenStore(db),
    accounts: createAccountsClient({ url: config.ACCOUNTS_URL, secret }),
    pii: loadPiiVault(config, logger),
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
      await relay?.stop();
      await db.$disconnect();
    },
  });
}
