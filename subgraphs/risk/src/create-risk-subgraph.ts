import neo4j from 'neo4j-driver';
import { Redis } from 'ioredis';
import { logClientErrors, type Logger } from '@baas/observability';
import { startSubgraph, type RunningSubgraph } from '@baas/server';
import type { RiskConfig } from './config';
import { createRiskLoaders, resolvers, type RiskContext } from './resolvers/index';
import { riskPermissions } from './permissions';

/** Starts the risk subgraph (graph features in Neo4j, velocity counters in Redis). */
export async function createRiskSubgraph(config: RiskConfig, logger: Logger): Promise<RunningSubgraph> {
  // While Neo4j is down a read gives up after 5 s (the driver's defaults: retries for 30 s, waits
  // 60 s for a connection), and answers SERVICE_UNAVAILABLE; the driver reconnects by itself.
  const driver = neo4j.driver(config.NEO4J_URL, undefined, {
    disableLosslessIntegers: false,
    maxConnectionPoolSize: 20,
    maxTransactionRetryTime: 5_000,
    connectionAcquisitionTimeout: 5_000,
    connectionTimeout: 5_000,
  });
  const redis = new Redis(config.REDIS_URL, { lazyConnect: true, maxRetriesPerRequest: 2 });
  logClientErrors(redis, { logger, store: 'redis' });
  await redis.connect();
  return startSubgraph<RiskContext>({
    name: 'risk',
    schema: new URL('./schema.graphql', import.meta.url),
    resolvers,
    permissions: riskPermissions,
    config,
    logger,
    context: (base) => ({ ...base, loaders: createRiskLoaders(driver) }),
    readiness: async () => ({
      neo4j: await driver.verifyConnectivity().then(() => true, () => false),
      redis: await redis.ping().then((r) => r === 'PONG', () => false),
    }),
    onStop: async () => {
      await driver.close();
      redis.disconnect();
    },
  });
}
