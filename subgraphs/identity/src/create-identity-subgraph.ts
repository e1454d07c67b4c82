import { Redis } from 'ioredis';
import { logClientErrors, type Logger } from '@baas/observability';
import { sendJson, startSubgraph, type RunningSubgraph } from '@baas/server';
import type { IdentityConfig } from './config';
import { createPrismaClient, postgresReadiness } from '@baas/db';
import { PrismaClient } from './generated/prisma/client';
import { resolvers, type IdentityContext } from './resolvers/index';
import { identityPermissions } from './permissions';
import { createIdentityLoaders } from './services/customers';
import { createKeyRing, loadSigningKey, type KeyRing } from './services/signing-keys';
import { createTokenIssuer } from './services/token-issuer';
import { createPiiVault, generatePiiKey, parsePiiKeys, type PiiVault } from '@baas/pii';
import { createDevNotificationSink, startNotificationRelay } from './sign-in/index';

export type RunningIdentity = RunningSubgraph & { keyRing: KeyRing };

/** Starts the identity subgraph: tenants, customers, sign-in, sessions, and the JWKS that verifies access tokens. */
export async function createIdentitySubgraph(config: IdentityConfig, logger: Logger): Promise<RunningIdentity> {
  const db = createPrismaClient(PrismaClient, config.DATABASE_URL);
  const redis = new Redis(config.REDIS_URL, { lazyConnect: true, maxRetriesPerRequest: 2, enableOfflineQueue: false });
  logClientErrors(redis, { logger, store: 'redis' });
  await redis.connect();
  const vault = loadPiiVault(config, logger);
  const bootstrap = await loadSigningKey({ pem: config.JWT_PRIVATE_KEY, kid: config.JWT_KEY_ID, allowGenerated: config.NODE_ENV !== 'production' });
  const keyRing = await createKeyRing({
    db,
    vault,
    bootstrap,
    accessTtlSeconds: config.ACCESS_TOKEN_TTL_SECONDS,
    refreshSeconds: config.SIGNING_KEY_REFRESH_SECONDS,
    logger,
  });
  const tokens = createTokenIssuer({ key: () => keyRing.current(), issuer: config.JWT_ISSUER, audience: config.JWT_AUDIENCE, accessTtlSeconds: config.ACCESS_TOKEN_TTL_SECONDS });
  // Codes and links leave through the outbox: relayed to NATS (identity.notify.<channel>.<tenant>),
  // where the delivery workers (and, in development, the sink below) pick them up.
  const relay = config.NOTIFY_RELAY ? startNotificationRelay({ db, vault, natsUrl: config.NATS_URL, logger }) : null;
  const sink = config.DEV_NOTIFICATION_SINK && config.NODE_ENV !== 'production' ? await createDevNotificationSink({ natsUrl: config.NATS_URL, logger, keep: 1000 }) : null;
  const sessionPolicy = { refreshTtlSeconds: config.REFRESH_TOKEN_TTL_SECONDS, sessionTtlSeconds: config.SESSION_TTL_SECONDS };
  const running = await startSubgraph<IdentityContext>({
    name: 'identity',
    schema: new URL('./schema.graphql', import.meta.url),
    resolvers,
    permissions: identityPermissions,
    config,
    logger,
    context: (base) => ({ ...base, db, redis, config, loaders: createIdentityLoaders(db), tokens, keyRing, sessionPolicy, vault }),
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
