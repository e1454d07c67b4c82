import { createPrismaClient, postgresReadiness } from '@baas/db';
import type { Logger } from '@baas/observability';
import { createPiiVault, generatePiiKey, parsePiiKeys, type PiiVault } from '@baas/pii';
import { startSubgraph, type RunningSubgraph } from '@baas/server';
import type { WebhooksConfig } from './config';
import { createWebhooksLoaders, type WebhooksContext } from './context';
import { PrismaClient } from './generated/prisma/client';
import { webhooksPermissions } from './permissions';
import { resolvers } from './resolvers/index';
import { DEFAULT_EVENT_TYPE_REGISTRY, DEFAULT_RETRY_POLICY, endpointWants } from '@baas/webhooks';
import { createWebhookDeliveryStore } from './store/webhook-delivery-store';
import { createWebhookEndpointStore } from './store/webhook-endpoint-store';
import type { EndpointWriteDeps } from './use-cases/create-webhook-endpoint';
import type { ReplayDeps } from './use-cases/replay-webhook-delivery';
import { startDeliveryWorker, type DeliveryWorker } from './workers/delivery-worker';
import { startEventFanout, type EventFanout } from './workers/event-fanout';
import { startRetention } from './workers/retention';

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

/** Starts the fan-out and the delivery worker (WEBHOOKS_DELIVERY); neither throws while a store is away. */
async function startDelivery(config: WebhooksConfig, logger: Logger, deps: { vault: PiiVault; deliveries: ReturnType<typeof createWebhookDeliveryStore>; urlPolicy: EndpointWriteDeps['urlPolicy'] }) {
  const registry = DEFAULT_EVENT_TYPE_REGISTRY;
  const wants = (patterns: readonly string[], type: string) => endpointWants(patterns, type, registry);
  const worker: DeliveryWorker = startDeliveryWorker({
    store: deps.deliveries,
    opener: deps.vault,
    urlPolicy: deps.urlPolicy,
    concurrency: config.WEBHOOKS_CONCURRENCY,
    perEndpoint: config.WEBHOOKS_ENDPOINT_CONCURRENCY,
    timeoutMs: config.WEBHOOKS_TIMEOUT_MS,
    pollMs: config.WEBHOOKS_POLL_MS,
    retryPolicy: config.WEBHOOKS_RETRY_DELAYS_MS ? { ...DEFAULT_RETRY_POLICY, delaysMs: config.WEBHOOKS_RETRY_DELAYS_MS } : DEFAULT_RETRY_POLICY,
    wants,
    logger,
  });
  const fanout: EventFanout = await startEventFanout({
    natsUrl: config.NATS_URL,
    streams: config.WEBHOOKS_SOURCE_STREAMS.split(',').map((s) => s.trim()).filter(Boolean),
    durable: config.WEBHOOKS_CONSUMER,
    store: deps.deliveries,
    registry,
    wants,
    onRecorded: () => worker.wake(),
    logger,
  });
  const retention = startRetention({ store: deps.deliveries, retentionDays: config.WEBHOOKS_RETENTION_DAYS, logger });
  return {
    wake: () => worker.wake(),
    async stop() {
      await fanout.stop();
      await worker.stop();
      await retention.stop();
    },
  };
}

/**
 * Starts the webhooks subgraph: the composition root (opens its database, builds the stores and the
 * secret vault, starts the fan-out and delivery worker, stops them and closes the database on stop).
 */
export async function createWebhooksSubgraph(config: WebhooksConfig, logger: Logger): Promise<RunningSubgraph> {
  const vault = secretVault(config, logger);
  const db = createPrismaClient(PrismaClient, config.DATABASE_URL);
  const endpoints = createWebhookEndpointStore(db);
  const insecure = config.WEBHOOKS_ALLOW_INSECURE_URLS;
  const webhooks: EndpointWriteDeps = { endpoints, sealer: vault, urlPolicy: { allowHttp: insecure, allowLoopback: insecure } };
  const deliveries = createWebhookDeliveryStore(db, vault);
  const delivery = config.WEBHOOKS_DELIVERY ? await startDelivery(config, logger, { vault, deliveries, urlPolicy: webhooks.urlPolicy }) : null;
  const replays: ReplayDeps = { endpoints, deliveries, ...(delivery ? { wake: delivery.wake } : {}) };
  return startSubgraph<WebhooksContext>({
    name: 'webhooks',
    schema: new URL('./schema.graphql', import.meta.url),
    resolvers,
    permissions: webhooksPermissions,
    config,
    logger,
    context: (base) => ({ ...base, loaders: createWebhooksLoaders(endpoints, deliveries), webhooks, replays, deliveries }),
    readiness: postgresReadiness(db),
    onStop: async () => {
      await delivery?.stop();
      await db.$disconnect();
    },
  });
}
