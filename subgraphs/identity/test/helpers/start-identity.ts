import { randomBytes, randomUUID } from 'node:crypto';
import { signIdentityAssertion, IDENTITY_HEADER, type Identity } from '@baas/auth';
import { parseConfig } from '@baas/config';
import { createLogger } from '@baas/observability';
import { createTestDatabase, type TestDatabase } from '@baas/testing';
import { identityConfigSchema, type IdentityConfig } from '../../src/config';
import { createIdentitySubgraph, type RunningIdentity } from '../../src/create-identity-subgraph';

export type Gql<T = Record<string, unknown>> = { data?: T | null; errors?: { message: string; extensions?: { code?: string; reason?: string } & Record<string, unknown> }[] };

export type TestIdentity = {
  db: TestDatabase;
  running: RunningIdentity;
  url: string;
  secret: string;
  config: IdentityConfig;
  /** A GraphQL call straight to the subgraph, as `who` (a signed assertion) or anonymous; a hung call fails after 30 s. */
  call<T = Record<string, unknown>>(who: Identity | null, query: string, variables?: Record<string, unknown>): Promise<Gql<T>>;
  stop(): Promise<void>;
};

/** The identity subgraph alone, over HTTP, on an isolated database and the local stores. */
export async function startIdentity(env: Record<string, string> = {}): Promise<TestIdentity> {
  const db = await createTestDatabase();
  const secret = `test-internal-secret-${randomUUID()}`;
  const parsed = parseConfig(identityConfigSchema, {
    NODE_ENV: 'test',
    PORT: '0',
    DATABASE_URL: db.url,
    INTERNAL_IDENTITY_SECRET: secret,
    PII_KEYS: `test:${randomBytes(32).toString('base64')}`,
    PII_BLIND_INDEX_KEY: randomBytes(32).toString('base64'),
    REDIS_PREFIX: `test-identity-${randomUUID().slice(0, 8)}`,
    AUDIT_DATABASE: `baas_test_${randomUUID().replaceAll('-', '').slice(0, 12)}`,
    NOTIFY_RELAY: 'false',
    // Domain events would go to the shared NATS's IDENTITY_EVENTS: tests of the relay run their own stream.
    IDENTITY_EVENTS_RELAY: 'false',
    ...env,
  });
  if (!parsed.ok) throw new Error(parsed.problems.join('\n'));
  const config = parsed.config as IdentityConfig;
  const running = await createIdentitySubgraph(config, createLogger({ service: 'identity-test', level: 'silent' }));
  return {
    db,
    running,
    url: running.url,
    secret,
    config,
    async call(who, query, variables = {}) {
      const headers: Record<string, string> = { 'content-type': 'application/json' };
      if (who) headers[IDENTITY_HEADER] = await signIdentityAssertion(who, secret);
      const res = await fetch(running.url, { method: 'POST', headers, body: JSON.stringify({ query, variables }), signal: AbortSignal.timeout(30_000) });
      return (await res.json()) as Gql<never>;
    },
    async stop() {
      await running.stop();
      await db.drop();
    },
  };
}
