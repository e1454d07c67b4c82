import { createPrismaClient, postgresReadiness } from '@baas/db';
import type { Logger } from '@baas/observability';
import { createPiiVault, generatePiiKey, parsePiiKeys, type PiiVault } from '@baas/pii';
import { startSubgraph, type RunningSubgraph } from '@baas/server';
import type { WebhooksConfig } from './config';
import { createWebhooksLoaders, type WebhooksContext } from './context';
import { PrismaClient } from './generated/prisma/client';
import { webhooksPermissions } from './permissions';
import { resolvers } from './resolvers/index';
import { createWebhookEndpointStore } from './store/webhook-endpoint-store';
import type { EndpointWriteDeps } from './use-cases/create-webhook-endpoint';

/** The vault sealing signing secrets: PII_KEYS (required in production), else a key for this process only. */
function secretVault(config: WebhooksConfig, logger: Logger): PiiVault {
  if (config.PII_KEYS) {
    const keys = parsePiiKeys(config.PII_KEYS);
    return createPiiVault({ keys, activeKeyId: config.PII_ACTIVE_KEY_ID ?? Object.keys(keys).at(-1)!, blindIndexKey: config.PII_BLIND_INDEX_KEY ?? generatePiiKey() });
  }
  if (config.NODE_ENV === 'production') throw new Error('PII_KEYS is required in production (it seals the webhook signing secrets)');
  logger.warn('PII_KEYS is not set: sealing webhook secrets with a key made for this process only');
  return createPiiVault({ keys: { dev: generatePiiKey() }, activeKeyId: 'dev', blindIndexKey: generatePiiKey() });
}

/**
 * Starts the webhooks subgraph: the composition root (opens its database, builds the endpoint store
 * and the secret vault, closes the database on stop). Delivery workers come in part 2 (src/workers/README.md).
 */
export async function createWebhooksSubgraph(config: WebhooksConfig, logger: Logger): Promise<RunningSubgraph> {
  const vault = secretVault(config, logger);
  const db = createPrismaClient(PrismaClient, config.DATABASE_URL);
  const endpoints = createWebhookEndpointStore(db);
  const insecure = config.WEBHOOKS_ALLOW_INSECURE_URLS;
  const webhooks: EndpointWriteDeps = { endpoints, sealer: vault, urlPolicy: { allowHttp: insecure, allowLoopback: insecure } };
  return startSubgraph<WebhooksContext>({
    name: 'webhooks',
    schema: new URL('./schema.graphql', import.meta.url),
    resolvers,
    permissions: webhooksPermissions,
    config,
    logger,
    context: (base) => ({ ...base, loaders: createWebhooksLoaders(endpoints), webhooks }),
    readiness: postgresReadiness(db),
    onStop: () => db.$disconnect(),
  });
}
