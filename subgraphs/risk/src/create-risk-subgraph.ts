import { Redis } from 'ioredis';
import { createNeo4j } from '@baas/neo4j';
import { logClientErrors, type Logger } from '@baas/observability';
import { startSubgraph, type RunningSubgraph } from '@baas/server';
import type { RiskConfig } from './config';
import { createRiskLoaders, type RiskContext } from './context';
import { riskPermissions } from './permissions';
import { resolvers } from './resolvers/index';
import { riskMigrations } from './store/migrations';
import { createRiskAssessmentStore } from './store/risk-assessment-store';

/**
 * Starts the risk subgraph (graph features in Neo4j, velocity counters in Redis). The graph's
 * constraints are in place before it serves; while Neo4j is down a read gives up after about 5 s
 * (@baas/neo4j's bounds) and answers SERVICE_UNAVAILABLE, and the driver reconnects by itself.
 */
export async function createRiskSubgraph(config: RiskConfig, logger: Logger): Promise<RunningSubgraph> {
  const graph = await createNeo4j({ config, service: 'risk', logger, migrations: riskMigrations });
  const redis = new Redis(config.REDIS_URL, { lazyConnect: true, maxRetriesPerRequest: 2 });
  logClientErrors(redis, { logger, store: 'redis' });
  try {
    await redis.connect();
  } catch (err) {
    await graph.close();
    throw err;
  }
  const assessments = createRiskAssessmentStore(graph.driver);
  return startSubgraph<RiskContext>({
    name: 'risk',
    schema: new URL('./schema.graphql', import.meta.url),
    resolvers,
    permissions: riskPermissions,
    config,
    logger,
    context: (base) => ({ ...base, loaders: createRiskLoaders(assessments) }),
    readiness: async () => ({
      neo4j: await graph.isReady(),
      redis: await redis.ping().then((r) => r === 'PONG', () => false),
    }),
    onStop: async () => {
      await graph.close();
      redis.disconnect();
    },
  });
}
