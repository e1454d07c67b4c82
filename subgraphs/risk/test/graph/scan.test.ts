import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { Redis } from 'ioredis';
import { createNeo4j, type Neo4jStore } from '@baas/neo4j';
import { createLogger } from '@baas/observability';
import type { GraphAlert } from '../../src/domain/graph-alerts';
import { createGraphFeatureCache } from '../../src/store/graph-feature-cache';
import { riskMigrations } from '../../src/store/migrations';
import { createGraphStore, type GraphStore } from '../../src/store/graph-store';
import { runGraphScan, startScheduledGraphScan, type GraphFeatureWriter } from '../../src/workers/graph-scan';
import { generateGraph, type GeneratedGraph } from './generate-graph';
import { ingest } from './ingest';

/**
 * The scheduled scan on the real Neo4j and Redis: the features it writes for every customer and
 * account of the scope, the alerts it raises (each finding once, by dedupe key, however many scans
 * run), and the Redis lock that lets one process scan per interval.
 */
const logger = createLogger({ service: 'risk-graph-scan-test', level: 'silent' });

/** The alert store's contract: a dedupe key raised before raises nothing. */
function alertSink() {
  const raised = new Map<string, GraphAlert>();
  let calls = 0;
  return {
    raised,
    get calls() {
      return calls;
    },
    raiseAlert: async (a: GraphAlert) => {
      calls++;
      if (!raised.has(a.dedupeKey)) raised.set(a.dedupeKey, a);
    },
  };
}

function featureSink() {
  const customers = new Map<string, { sharedIdentifierDegree: number; ringSize: number; fraudDistance: number }>();
  const accounts = new Map<string, { fraudDistance: number; muleScore: number }>();
  const writer: GraphFeatureWriter = {
    writeCustomer: async (id, f) => void customers.set(id, f),
    writeAccount: async (id, f) => void accounts.set(id, f),
  };
  return { customers, accounts, writer };
}

describe('risk graph scan', () => {
  const run = `rgs${randomBytes(4).toString('hex')}`;
  let neo: Neo4jStore;
  let store: GraphStore;
  let redis: Redis;
  let g: GeneratedGraph;

  before(async () => {
    neo = await createNeo4j({ config: { NEO4J_URL: 'bolt://127.0.0.1:7687', NEO4J_USER: 'neo4j' }, service: 'risk-test', logger, migrations: riskMigrations });
    store = createGraphStore(neo.driver);
    redis = new Redis(process.env.REDIS_URL ?? 'redis://127.0.0.1:6379', { maxRetriesPerRequest: 2 });
    g = generateGraph(42, run);
    await ingest(store, g);
  });
  after(async () => {
    await store?.deleteTenants(g.tenantIds).catch(() => undefined);
    await neo?.driver.executeQuery('MATCH (a:Account) WHERE a.id STARTS WITH $run DETACH DELETE a', { run: `${run}-` });
    await neo?.close();
    const keys = await redis.keys(`${run}:*`);
    if (keys.length > 0) await redis.del(...keys);
    redis?.disconnect();
  });

  it('writes every feature and raises each finding once', async () => {
    const features = featureSink();
    const alerts = alertSink();
    const summary = await runGraphScan({ driver: neo.driver, features: features.writer, raiseAlert: alerts.raiseAlert, logger }, { tenantIds: g.tenantIds }, g.now);
    const kinds = [...alerts.raised.values()].map((a) => a.kind).sort();
    assert.deepEqual(kinds, ['CYCLE', 'CYCLE', 'CYCLE', 'FRAUD_PROXIMITY', 'FRAUD_PROXIMITY', 'MULE', 'RING', 'RING', 'SHARED_IDENTIFIERS', 'SHARED_IDENTIFIERS', 'SHARED_IDENTIFIERS']);
    assert.equal(summary.alerts, 11);
    assert.equal(summary.customers, g.accounts.length);

    const c = (name: string) => features.customers.get(`${run}-c-${name}`);
    const a = (name: string) => features.accounts.get(`${run}-a-${name}`);
    assert.deepEqual(c('ring3'), { sharedIdentifierDegree: 4, ringSize: 5, fraudDistance: 6 });
    assert.deepEqual(c('ring0'), { sharedIdentifierDegree: 3, ringSize: 5, fraudDistance: 6 });
    assert.deepEqual(c('pub3'), { sharedIdentifierDegree: 0, ringSize: 1, fraudDistance: 6 }, 'the public IP counts for nothing');
    assert.deepEqual(c('x'), { sharedIdentifierDegree: 0, ringSize: 1, fraudDistance: 2 });
    assert.equal(c('fraudster')?.fraudDistance, 0);
    assert.equal(a('y')?.fraudDistance, 1);
    assert.ok(a('mule')!.muleScore > 0.75 && a('mule')!.muleScore <= 0.8);
    assert.equal(a('nm1')?.muleScore, 0);
    assert.equal(a('hub')?.fraudDistance, 6, 'a hub is not reached');
    assert.equal(features.customers.size, g.accounts.length);
    for (const alert of alerts.raised.values()) assert.ok(alert.subjectIds.every((id) => id.startsWith(`${run}-`)));

    // A second scan (another process, a later interval) finds the same and raises nothing new.
    const keys = [...alerts.raised.keys()].sort();
    await runGraphScan({ driver: neo.driver, features: features.writer, raiseAlert: alerts.raiseAlert, logger }, { tenantIds: g.tenantIds }, g.now);
    assert.deepEqual([...alerts.raised.keys()].sort(), keys);
  });

  it('features reach the scoring path through the Redis feature cache', async () => {
    const cache = createGraphFeatureCache(redis, { prefix: `${run}:gf` });
    await runGraphScan({ driver: neo.driver, features: cache, raiseAlert: alertSink().raiseAlert, logger }, { tenantIds: g.tenantIds }, g.now);
    const read = await cache.read({ customerId: `${run}-c-x`, payerAccountId: `${run}-a-x`, payeeAccountId: `${run}-a-mule` });
    assert.deepEqual(read.customer, { sharedIdentifierDegree: 0, ringSize: 1, fraudDistance: 2 });
    assert.equal(read.payer?.fraudDistance, 2);
    assert.ok(read.payee!.muleScore > 0.75);
  });

  it('one scan per interval across processes: the Redis lock', async () => {
    const alerts = alertSink();
    const start = () =>
      startScheduledGraphScan({
        driver: neo.driver,
        redis,
        features: featureSink().writer,
        raiseAlert: alerts.raiseAlert,
        logger,
        intervalMs: 60_000,
        firstScanDelayMs: 3_600_000,
        lockKey: `${run}:graph-scan:lock`,
        scope: async () => ({ tenantIds: g.tenantIds }),
        now: () => g.now,
      });
    const [p1, p2] = [start(), start()];
    const results = await Promise.all([p1.scanNow(), p2.scanNow()]);
    assert.equal(results.filter((r) => r !== null).length, 1, 'exactly one of two concurrent scans ran');
    assert.equal(await p2.scanNow(), null, 'within the interval nobody scans again');
    assert.ok((await redis.pttl(`${run}:graph-scan:lock`)) > 0);
    await Promise.all([p1.stop(), p2.stop()]);
  });
});
