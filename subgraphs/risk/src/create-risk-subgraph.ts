import { randomUUID } from 'node:crypto';
import { Redis } from 'ioredis';
import { connectEvents, type EventBus } from '@baas/events';
import { inferenceOptionsFromEnv } from '@baas/inference';
import { createNeo4j } from '@baas/neo4j';
import { createMetrics, logClientErrors, type Logger } from '@baas/observability';
import { createIdentityDirectory, startSubgraph, type RunningSubgraph } from '@baas/server';
import type { RiskConfig } from './config';
import { createRiskLoaders, type RiskContext, type RiskDeps } from './context';
import { riskPermissions } from './permissions';
import { resolvers } from './resolvers/index';
import { alertMigrations, createAlertStore } from './store/alert-store';
import { createCreditInputsStore, creditRowFromFlows } from './store/credit-inputs-store';
import { loadCreditScorecard, type CreditScorecardModel } from './store/credit-scorecard-store';
import { createGraphFeatureCache } from './store/graph-feature-cache';
import { createGraphStore } from './store/graph-store';
import { riskMigrations } from './store/migrations';
import { createRiskAssessmentStore } from './store/risk-assessment-store';
import { createTenantRiskSettingsStore } from './store/tenant-risk-settings-store';
import { createVelocityStore } from './store/velocity-store';
import type { ObservedIdentifiers } from './use-cases/score-transaction';
import { loadFraudModel, type FraudModel } from './workers/fraud-model';
import { RISK_STREAM } from './workers/graph-consumer';
import { startGraphWorkers } from './workers/graph-scan';

/**
 * What scoring observed (devices, IPs of a customer's account) goes to JetStream for the graph
 * consumer (`risk.observed.movement` on the RISK stream). Connects on first use; NATS away: the
 * publish fails, the scoring path logs it and answers anyway (fire and forget).
 */
function createObservedPublisher(natsUrl: string, logger: Logger) {
  let bus: Promise<EventBus> | null = null;
  const connect = () =>
    (bus ??= connectEvents({ url: natsUrl, name: 'risk-observed', logger })
      .then(async (events) => {
        await events.ensureStream(RISK_STREAM);
        return events;
      })
      .catch((err: unknown) => {
        bus = null;
        throw err;
      }));
  return {
    async publish(o: ObservedIdentifiers): Promise<void> {
      const events = await connect();
      await events.publish('risk.observed.movement', { id: randomUUID(), type: 'risk.observed.movement', data: { ...o, at: new Date().toISOString() } }, { expectedStream: RISK_STREAM.name });
    },
    async close(): Promise<void> {
      const pending = bus;
      bus = null;
      await pending?.then((events) => events.close()).catch(() => undefined);
    },
  };
}

/**
 * Starts the risk subgraph: the graph in Neo4j (constraints applied before it serves), velocity
 * counters and graph features in Redis, the fraud model and the credit scorecard through
 * @baas/inference (CPU, or CUDA when asked for and present), the graph workers (JetStream consumer
 * and scheduled scans, stopped on stop). Readiness reports Neo4j, Redis and each model with the
 * execution provider it runs on (`fraudModel.cpu`, `creditModel.cuda`, ...). While Neo4j is down a
 * read gives up after about 5 s and answers SERVICE_UNAVAILABLE; the driver reconnects by itself.
 */
export async function createRiskSubgraph(config: RiskConfig, logger: Logger): Promise<RunningSubgraph> {
  const graph = await createNeo4j({ config, service: 'risk', logger, migrations: [...riskMigrations, ...alertMigrations] });
  const redis = new Redis(config.REDIS_URL, { lazyConnect: true, maxRetriesPerRequest: 2 });
  logClientErrors(redis, { logger, store: 'redis' });
  const metrics = createMetrics({ service: 'risk' });
  let fraud: FraudModel | null = null;
  let credit: CreditScorecardModel | null = null;
  try {
    await redis.connect();
    // inference_model_info (with the execution provider) and run metrics land on the service's /metrics.
    const inference = { ...inferenceOptionsFromEnv(config), logger, metrics };
    fraud = await loadFraudModel(inference);
    credit = await loadCreditScorecard(inference);
  } catch (err) {
    await fraud?.close();
    redis.disconnect();
    await graph.close();
    throw err;
  }
  const fraudModel = fraud;
  const creditModel = credit;

  const assessments = createRiskAssessmentStore(graph.driver);
  const alerts = createAlertStore(graph.driver);
  const settings = createTenantRiskSettingsStore(graph.driver, { cacheMs: config.RISK_SETTINGS_CACHE_MS });
  const graphStore = createGraphStore(graph.driver);
  const featureCache = createGraphFeatureCache(redis, { prefix: `${config.REDIS_PREFIX}gf` });
  const creditInputs = createCreditInputsStore(graph.driver);
  const directory = createIdentityDirectory({ url: config.IDENTITY_URL, secret: config.INTERNAL_IDENTITY_SECRET, caller: 'risk', cacheMs: config.IDENTITY_CACHE_MS });
  const observed = config.RISK_PUBLISH_OBSERVED ? createObservedPublisher(config.NATS_URL, logger) : null;

  const deps: RiskDeps = {
    assessments,
    alerts,
    settings,
    directory,
    scoring: {
      assessments,
      velocity: createVelocityStore(redis, { prefix: `${config.REDIS_PREFIX}v` }),
      graphFeatures: featureCache,
      settings,
      model: fraudModel,
      logger,
      ...(config.RISK_LOCAL_HOUR !== undefined ? { localHour: config.RISK_LOCAL_HOUR } : {}),
      ...(observed ? { publishObserved: (o: ObservedIdentifiers) => observed.publish(o) } : {}),
    },
    credit: {
      model: creditModel,
      inputs: {
        read: async (q) => creditRowFromFlows(await creditInputs.readFlows({ ...q, currency: config.CREDIT_CURRENCY }), q.now),
      },
    },
    markConfirmedFraud: (m) => graphStore.markConfirmedFraud(m),
  };

  const workers = await startGraphWorkers({
    driver: graph.driver,
    redis,
    logger,
    natsUrl: config.NATS_URL,
    ledgerStream: config.LEDGER_STREAM,
    raiseAlert: (alert) => alerts.raise(alert),
    features: featureCache,
    scanIntervalMs: config.RISK_GRAPH_SCAN_INTERVAL_MS,
    redisPrefix: config.REDIS_PREFIX,
    consume: config.RISK_GRAPH_CONSUMER,
    scan: config.RISK_GRAPH_SCAN,
  });

  const shutdown = async () => {
    await workers.stop().catch((err: unknown) => logger.warn({ err }, 'risk graph workers did not stop cleanly'));
    await observed?.close();
    await Promise.all([fraudModel.close(), creditModel.close()]);
    await graph.close();
    redis.disconnect();
  };

  try {
    return await startSubgraph<RiskContext>({
      name: 'risk',
      metrics,
      schema: new URL('./schema.graphql', import.meta.url),
      resolvers,
      permissions: riskPermissions,
      config,
      logger,
      context: (base) => ({ ...base, loaders: createRiskLoaders({ assessments, alerts }), risk: deps }),
      readiness: async () => ({
        neo4j: await graph.isReady(),
        redis: await redis.ping().then((r) => r === 'PONG', () => false),
        [`fraudModel.${fraudModel.describe().provider}`]: fraudModel.isReady(),
        [`creditModel.${creditModel.describe().provider}`]: creditModel.isReady(),
      }),
      onStop: shutdown,
    });
  } catch (err) {
    await shutdown();
    throw err;
  }
}
