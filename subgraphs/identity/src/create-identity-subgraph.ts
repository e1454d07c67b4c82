import { Redis } from 'ioredis';
import { logClientErrors, type Logger } from '@baas/observability';
import { sendJson, startSubgraph, type RunningSubgraph } from '@baas/server';
import type { IdentityConfig } from './config';
import { createPrismaClient, postgresReadiness } from '@baas/db';
import { PrismaClient } from './generated/prisma/client';
import { resolvers } from './resolvers/index';
import { identityPermissions } from './permissions';
import { createIdentityContext, type IdentityApp, type IdentityContext } from './context';
import { loadSigningKey } from './domain/signing-key';
import { createTokenIssuer } from './domain/token-issuer';
import { createIdentityStores } from './store/identity-stores';
import { createPasskeyChallengeStore } from './store/passkey-challenge-store';
import { createSendCounterStore } from './store/send-counter-store';
import { createKeyRing, type KeyRing } from './workers/signing-key-ring';
import { createPiiVault, generatePiiKey, parsePiiKeys, type PiiVault } from '@baas/pii';
import { createDevNotificationSink } from './workers/dev-notification-sink';
import { startDomainEventRelay } from './workers/domain-event-relay';
import { startNotificationRelay } from './workers/notification-relay';

export type RunningIdentity = RunningSubgraph & { keyRing: KeyRing };

/** Starts the identity subgraph: tenants, customers, sign-in, sessions, and the JWKS that verifies access tokens. */
export async function createIdentitySubgraph(config: IdentityConfig, logger: Logger): Promise<RunningIdentity> {
  const db = createPrismaClient(PrismaClient, config.DATABASE_URL);
  const redis = new Redis(config.REDIS_URL, { lazyConnect: true, maxRetriesPerRequest: 2, enableOfflineQueue: false });
  logClientErrors(redis, { logger, store: 'redis' });
  await redis.connect();
  const vault = loadPiiVault(config, logger);
  const bootstrap = await loadSigningKey({ pem: config.JWT_PRIVATE_KEY, kid: config.JWT_KEY_ID, allowGenerated: config.NODE_ENV !== 'production' });
  const stores = createIdentityStores(db);
  const keyRing = await createKeyRing({
    keys: stores.signingKeys,
    vault,
    bootstrap,
    accessTtlSeconds: config.ACCESS_TOKEN_TTL_SECONDS,
    refreshSeconds: config.SIGNING_KEY_REFRESH_SECONDS,
    logger,
  });
  const tokens = createTokenIssuer({ key: () => keyRing.current(), issuer: config.JWT_ISSUER, audience: config.JWT_AUDIENCE, accessTtlSeconds: config.ACCESS_TOKEN_TTL_SECONDS });
  // Codes and links leave through the outbox: relayed to NATS (identity.notify.<channel>.<tenant>),
  // where the delivery workers (and, in development, the sink below) pick them up.
  const relay = config.NOTIFY_RELAY ? startNotificationRelay({ databaseUrl: config.DATABASE_URL, vault, natsUrl: config.NATS_URL, logger }) : null;
  // Domain events (identity.events.>, no clear PII) leave through their own outbox, for risk's graph.
  const eventsRelay = config.IDENTITY_EVENTS_RELAY ? startDomainEventRelay({ databaseUrl: config.DATABASE_URL, natsUrl: config.NATS_URL, logger }) : null;
  const sink = config.DEV_NOTIFICATION_SINK && config.NODE_ENV !== 'production' ? await createDevNotificationSink({ natsUrl: config.NATS_URL, logger, keep: 1000 }) : null;
  const app: IdentityApp = {
    stores,
    passkeyChallenges: createPasskeyChallengeStore(redis, config.REDIS_PREFIX),
    sendCounters: createSendCounterStore(redis, config.REDIS_PREFIX),
    vault,
    tokens,
    keyRing,
    sessionPolicy: { refreshTtlSeconds: config.REFRESH_TOKEN_TTL_SECONDS, sessionTtlSeconds: config.SESSION_TTL_SECONDS },
    signIn: config,
    passkeyChanges: {
      changeStepUpSeconds: config.PASSKEY_CHANGE_STEP_UP_SECONDS,
      firstPasskeyWindowSeconds: config.FIRST_PASSKEY_WINDOW_SECONDS,
      recoveryDelaySeconds: config.PASSKEY_RECOVERY_DELAY_SECONDS,
    },
    relyingParty: {
      rpId: config.WEBAUTHN_RP_ID,
      rpName: config.WEBAUTHN_RP_NAME,
      origins: config.WEBAUTHN_ORIGINS.split(',').map((o) => o.trim()).filter(Boolean),
    },
  };
  const running = await startSubgraph<IdentityContext>({
    name: 'identity',
    schema: new URL('./schema.graphql', import.meta.url),
    resolvers,
    permissions: identityPermissions,
    config,
    logger,
    context: (base) => createIdentityContext(base, app),
    readiness: async () => ({ ...(await postgresReadiness(db)()), redis: redis.status === 'ready' }),
    routes: {
      '/.well-known/jwks.json': (_req, res) => {
        res.setHeader('cache-control', 'public, max-age=60');
        sendJson(res, 200, keyRing.jwks());
      },
      ...(sink ? { '/dev/notifications': sink.route } : {}),
    },
    onStop: async () => {
      keyRing.stop();
      await relay?.stop();
      await eventsRelay?.stop();
      await sink?.stop();
      redis.disconnect();
      await db.$disconnect();
    },
  });
  return { ...running, keyRing };
}

/** The PII vault from configuration; outside production, a key made for this process when none is set. */
function loadPiiVault(config: IdentityConfig, logger: Logger): PiiVault {
  if (config.PII_KEYS && config.PII_BLIND_INDEX_KEY) {
    const keys = parsePiiKeys(config.PII_KEYS);
    return createPiiVault({ keys, activeKeyId: config.PII_ACTIVE_KEY_ID ?? Object.keys(keys).at(-1)!, blindIndexKey: config.PII_BLIND_INDEX_KEY });
  }
  if (config.NODE_ENV === 'production') throw new Error('PII_KEYS and PII_BLIND_INDEX_KEY are required in production');
  logger.warn('PII_KEYS is not set: encrypting personal data with a key made for this process only');
  return createPiiVault({ keys: { dev: generatePiiKey() }, activeKeyId: 'dev', blindIndexKey: generatePiiKey() });
}
