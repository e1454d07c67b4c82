import { createLocalJWKSet } from 'jose';
import type { Logger } from '@baas/observability';
import { sendJson, startSubgraph, type RunningSubgraph } from '@baas/server';
import type { IdentityConfig } from './config';
import { createPrismaClient, postgresReadiness } from '@baas/db';
import { PrismaClient } from './generated/prisma/client';
import { resolvers, type IdentityContext } from './resolvers/index';
import { createIdentityLoaders } from './services/customers';
import { loadSigningKey, type SigningKey } from './services/signing-keys';
import { createTokenIssuer } from './services/token-issuer';
import { createPiiVault, generatePiiKey, parsePiiKeys, type PiiVault } from '@baas/pii';

export type RunningIdentity = RunningSubgraph & { signingKey: SigningKey };

/** Starts the identity subgraph: customers and tenants, and the JWKS that verifies access tokens. */
export async function createIdentitySubgraph(config: IdentityConfig, logger: Logger): Promise<RunningIdentity> {
  const db = createPrismaClient(PrismaClient, config.DATABASE_URL);
  const signingKey = await loadSigningKey({
    pem: config.JWT_PRIVATE_KEY,
    kid: config.JWT_KEY_ID,
    allowGenerated: config.NODE_ENV !== 'production',
  });
  createLocalJWKSet({ keys: [signingKey.publicJwk] }); // fails fast on a malformed key
  const tokens = createTokenIssuer({ key: signingKey, issuer: config.JWT_ISSUER, audience: config.JWT_AUDIENCE, accessTtlSeconds: config.ACCESS_TOKEN_TTL_SECONDS });
  const vault = loadPiiVault(config, logger);
  const sessionPolicy = { refreshTtlSeconds: config.REFRESH_TOKEN_TTL_SECONDS, sessionTtlSeconds: config.SESSION_TTL_SECONDS };
  const running = await startSubgraph<IdentityContext>({
    name: 'identity',
    schema: new URL('./schema.graphql', import.meta.url),
    resolvers,
    config,
    logger,
    context: (base) => ({ ...base, db, loaders: createIdentityLoaders(db), tokens, sessionPolicy, vault }),
    readiness: postgresReadiness(db),
    routes: {
      '/.well-known/jwks.json': (_req, res) => sendJson(res, 200, { keys: [signingKey.publicJwk] }),
    },
    onStop: () => db.$disconnect(),
  });
  return { ...running, signingKey };
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
