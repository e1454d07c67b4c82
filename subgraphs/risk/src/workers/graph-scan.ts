import { randomUUID } from 'node:crypto';
import type { Redis } from 'ioredis';
import type { Driver } from 'neo4j-driver';
import type { Logger } from '@baas/observability';
import { buildGraphAlerts, DEFAULT_ALERT_THRESHOLDS, type AlertThresholds, type GraphAlert } from '../domain/graph-alerts';
import { capFeature, NO_FRAUD_DISTANCE } from '../domain/graph-features';
import { createIdentityPatterns, type GraphScope } from '../store/graph-patterns';
import { createDistancePatterns } from '../store/graph-patterns-distance';
import { createGraphFeatureCache } from '../store/graph-feature-cache';
import { createFlowPatterns } from '../store/graph-patterns-flow';
import { createGraphStore } from '../store/graph-store';
import { startGraphConsumer } from './graph-consumer';

/** The alert store's port (helper C): an alert whose dedupeKey was raised before is not raised again. */
export type RaiseAlert = (alert: GraphAlert) => Promise<unknown>;

/** Where graph features go for the scoring path (store/graph-feature-cache.ts). */
export type GraphFeatureWriter = {
  writeCustomer(customerId: string, f: { sharedIdentifierDegree: number; ringSize: number; fraudDistance: number }): Promise<void>;
  writeAccount(accountId: string, f: { fraudDistance: number; muleScore: number }): Promise<void>;
};

export type GraphScanDeps = {
  driver: Driver;
  features: GraphFeatureWriter;
  raiseAlert: RaiseAlert;
  logger: Logger;
  thresholds?: AlertThresholds;
};

export type GraphScanSummary = {
  customers: number;
  accounts: number;
  sharedIdentifierGroups: number;
  rings: number;
  cycles: number;
  mules: number;
  alerts: number;
  alertFailures: number;
};

const WRITE_BATCH = 64;

async function inBatches<T>(items: readonly T[], each: (item: T) => Promise<unknown>): Promise<void> {
  for (let i = 0; i < items.length; i += WRITE_BATCH) await Promise.all(items.slice(i, i + WRITE_BATCH).map(each));
}

/**
 * One scan of the scope at `now`: runs every pattern, writes each customer's and account's graph
 * features (defaults included, so a feature that no longer holds is overwritten), then raises the
 * alerts. Neo4j or Redis failing throws (the scheduler logs it and tries at the next interval); an
 * alert that cannot be raised is logged and counted, and the next scan raises it again.
 */
export async function runGraphScan(deps: GraphScanDeps, scope: GraphScope, now: Date): Promise<GraphScanSummary> {
  const identity = createIdentityPatterns(deps.driver);
  const flow = createFlowPatterns(deps.driver);
  // One after the other: a scan is background work and should not take the whole connection pool.
  const { groups, rings, customers: idFeatures } = await identity.identityFeatures(scope);
  const cycles = await flow.cycles(scope, now);
  const muleStats = await flow.muleStats(scope, now);
  const distances = await createDistancePatterns(deps.driver).fraudDistances(scope, now);
  const members = await identity.members(scope);

  await inBatches(members.customers, (c) =>
    deps.features.writeCustomer(c.id, {
      sharedIdentifierDegree: capFeature(idFeatures.get(c.id)?.sharedIdentifierDegree ?? 0),
      ringSize: capFeature(idFeatures.get(c.id)?.ringSize ?? 1),
      fraudDistance: distances.customers.get(c.id) ?? NO_FRAUD_DISTANCE,
    }),
  );
  const muleScores = new Map<string, number>();
  for (const m of muleStats) muleScores.set(m.accountId, Math.max(muleScores.get(m.accountId) ?? 0, m.score));
  // The scope's accounts, and outside accounts within reach of a fraudster (a payee's distance).
  const accountIds = new Set([...members.accounts.map((a) => a.id), ...distances.accounts.keys()]);
  await inBatches([...accountIds], (id) =>
    deps.features.writeAccount(id, { fraudDistance: distances.accounts.get(id) ?? NO_FRAUD_DISTANCE, muleScore: muleScores.get(id) ?? 0 }),
  );

  const customerTenant = new Map(members.customers.map((c) => [c.id, c.tenantId]));
  const alerts = buildGraphAlerts(
    {
      groups,
      rings,
      cycles,
      mules: muleStats.filter((m) => m.mule),
      proximity: [...distances.customers]
        .filter(([id]) => customerTenant.has(id))
        .map(([customerId, hops]) => ({ customerId, tenantId: customerTenant.get(customerId)!, hops })),
    },
    new Map(members.accounts.map((a) => [a.id, a.tenantId])),
    deps.thresholds ?? DEFAULT_ALERT_THRESHOLDS,
  );
  let alertFailures = 0;
  for (const alert of alerts) {
    await deps.raiseAlert(alert).catch((err: unknown) => {
      alertFailures++;
      deps.logger.warn({ err, kind: alert.kind, dedupeKey: alert.dedupeKey }, 'graph alert not raised; the next scan tries again');
    });
  }
  return {
    customers: members.customers.length,
    accounts: accountIds.size,
    sharedIdentifierGroups: groups.length,
    rings: rings.length,
    cycles: cycles.length,
    mules: alerts.filter((a) => a.kind === 'MULE').length,
    alerts: alerts.length,
    alertFailures,
  };
}

// Compare-and-set on the lock's token: only its holder extends or releases it.
const EXTEND = `if redis.call('get', KEYS[1]) == ARGV[1] then return redis.call('pexpire', KEYS[1], ARGV[2]) else return 0 end`;
const RELEASE = `if redis.call('get', KEYS[1]) == ARGV[1] then return redis.call('del', KEYS[1]) else return 0 end`;

export type ScheduledScanDeps = GraphScanDeps & {
  redis: Redis;
  intervalMs: number;
  /** Redis key of the lock; default 'risk:graph-scan:lock'. */
  lockKey?: string;
  /** The scope; default every tenant in the graph. */
  scope?: () => Promise<GraphScope>;
  /** Delay of the first scan after start; default 1 s. */
  firstScanDelayMs?: number;
  now?: () => Date;
};

export type ScheduledScan = {
  /** Runs a scan now unless another process holds the lock or scanned within the interval (then null). */
  scanNow(): Promise<GraphScanSummary | null>;
  stop(): Promise<void>;
};

/**
 * Scans every `intervalMs`. Across processes one scan runs per interval: a Redis lock (SET NX
 * with expiry) is taken before a scan and, when it succeeds, kept until the interval is over, so
 * the other processes skip; a failed scan releases it for the next one to retry. A holder that
 * dies frees it by expiry. Alerts are deduplicated by their key anyway.
 */
export function startScheduledGraphScan(deps: ScheduledScanDeps): ScheduledScan {
  const key = deps.lockKey ?? 'risk:graph-scan:lock';
  const lockMs = Math.max(deps.intervalMs, 60_000) * 2;
  const now = deps.now ?? (() => new Date());
  let timer: NodeJS.Timeout | undefined;
  let running: Promise<unknown> = Promise.resolve();
  let stopped = false;

  const scanNow = async (): Promise<GraphScanSummary | null> => {
    const token = randomUUID();
    if ((await deps.redis.set(key, token, 'PX', lockMs, 'NX')) !== 'OK') return null;
    try {
      const scope = deps.scope ? await deps.scope() : await defaultScope(deps.driver);
      const summary = await runGraphScan(deps, scope, now());
      await deps.redis.eval(EXTEND, 1, key, token, String(Math.max(deps.intervalMs - 1000, 1000)));
      return summary;
    } catch (err) {
      await deps.redis.eval(RELEASE, 1, key, token).catch(() => undefined);
      throw err;
    }
  };
  const tick = () => {
    running = scanNow()
      .then((summary) => summary && deps.logger.info({ ...summary }, 'risk graph scan done'))
      .catch((err: unknown) => deps.logger.warn({ err }, 'risk graph scan failed; retrying at the next interval'))
      .finally(() => {
        if (!stopped) timer = setTimeout(tick, deps.intervalMs).unref();
      });
  };
  timer = setTimeout(tick, deps.firstScanDelayMs ?? 1000).unref();
  return {
    scanNow,
    async stop() {
      stopped = true;
      clearTimeout(timer);
      await running;
    },
  };
}

async function defaultScope(driver: Driver): Promise<GraphScope> {
  return { tenantIds: await createGraphStore(driver).listTenants() };
}

export type GraphWorkersDeps = {
  driver: Driver;
  redis: Redis;
  logger: Logger;
  natsUrl: string;
  /** config LEDGER_STREAM (default 'LEDGER'). */
  ledgerStream: string;
  raiseAlert: RaiseAlert;
  /** Default createGraphFeatureCache(redis) from store/graph-feature-cache.ts (prefix 'risk:gf'). */
  features?: GraphFeatureWriter;
  /** config RISK_GRAPH_SCAN_INTERVAL_MS (suggested default 60 000). */
  scanIntervalMs: number;
  /** Prefix of the scan lock key (config REDIS_PREFIX, default 'risk:'). */
  redisPrefix?: string;
  /** Feed the graph from JetStream (default true). */
  consume?: boolean;
  /** Run the scheduled scans (default true). */
  scan?: boolean;
};

export type GraphWorkers = { scanNow(): Promise<GraphScanSummary | null>; stop(): Promise<void> };

/** The graph's workers for the composition root: the JetStream consumer and the scheduled scan. Never throws for NATS being down. */
export async function startGraphWorkers(deps: GraphWorkersDeps): Promise<GraphWorkers> {
  const consumer =
    deps.consume === false
      ? null
      : await startGraphConsumer({ natsUrl: deps.natsUrl, ledgerStream: deps.ledgerStream, store: createGraphStore(deps.driver), logger: deps.logger });
  const scan =
    deps.scan === false
      ? null
      : startScheduledGraphScan({
          ...deps,
          features: deps.features ?? createGraphFeatureCache(deps.redis),
          intervalMs: deps.scanIntervalMs,
          lockKey: `${deps.redisPrefix ?? 'risk:'}graph-scan:lock`,
        });
  return {
    scanNow: async () => (scan ? scan.scanNow() : null),
    async stop() {
      await scan?.stop();
      await consumer?.stop();
    },
  };
}
