import { createLocalJWKSet } from 'jose';
import type { Logger } from '@baas/observability';
import { loadTypeDefs, sendJson, startSubgraph, type RunningSubgraph } from '@baas/server';
import type { IdentityConfig } from './config';
import { createIdentityDb } from './data/create-prisma';
import { resolvers, type IdentityContext } from './resolvers/index';
import { createIdentityLoaders } from './services/customers';
import { loadSigningKey, type SigningKey } from './services/signing-keys';

export type RunningIdentity = RunningSubgraph & { signingKey: SigningKey };

/** Starts the identity subgraph: customers and tenants, and the JWKS that verifies access tokens. */
export async function createIdentitySubgraph(config: IdentityConfig, logger: Logger): Promise<RunningIdentity> {
  const db = createIdentityDb(config.DATABASE_URL);
  const signingKey = await loadSigningKey({
    pem: config.JWT_PRIVATE_KEY,
    kid: config.JWT_KEY_ID,
    allowGenerated: config.NODE_ENV !== 'production',
  });
  createLocalJWKSet({ keys: [signingKey.publicJwk] }); // fails fast on a malformed key
  const running = await startSubgraph<IdentityContext>({
    name: 'identity',
    typeDefs: loadTypeDefs(new URL('./schema.graphql', import.meta.url)),
    resolvers,
    port: config.PORT,
    host: config.HOST,
    internalSecret: config.INTERNAL_IDENTITY_SECRET,
    logger,
    context: (base) => ({ ...base, db, loaders: createIdentityLoaders(db) }),
    readiness: async () => ({ postgres: await db.$queryRaw`select 1`.then(() => true, () => false) }),
    routes: {
      '/.well-known/jwks.json': (_req, res) => sendJson(res, 200, { keys: [signingKey.publicJwk] }),
    },
    onStop: () => db.$disconnect(),
  });
  return { ...running, signingKey };
}
