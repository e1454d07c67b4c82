import neo4j, { type Driver } from 'neo4j-driver';
import type { Logger } from '@baas/observability';
import { applyNeo4jMigrations } from './apply-migrations';
import type { CheckedMigration } from './define-migrations';
import type { Neo4jEnv } from './neo4j-env';

/**
 * Bounds on waiting for Neo4j. The driver's defaults retry a transaction for 30 s and wait 60 s
 * for a pooled connection, so a request hangs for a minute while Neo4j is down; with these it
 * fails in about 5 s (answered as SERVICE_UNAVAILABLE) and the driver reconnects by itself.
 */
export type Neo4jTimeouts = {
  /** How long a managed transaction keeps retrying transient errors. */
  maxTransactionRetryTimeMs: number;
  /** How long to wait for a connection from a full pool (or a new one). */
  connectionAcquisitionTimeoutMs: number;
  /** How long to wait for the TCP/Bolt handshake. */
  connectionTimeoutMs: number;
  maxConnectionPoolSize: number;
};

export const DEFAULT_NEO4J_TIMEOUTS: Neo4jTimeouts = {
  maxTransactionRetryTimeMs: 5_000,
  connectionAcquisitionTimeoutMs: 5_000,
  connectionTimeoutMs: 5_000,
  maxConnectionPoolSize: 20,
};

export type CreateNeo4jOptions = {
  config: Neo4jEnv;
  /** Shown to the server as the driver's user agent (`baas-<service>`). */
  service: string;
  logger: Logger;
  /** Applied before createNeo4j returns (see applyNeo4jMigrations); none by default. */
  migrations?: readonly CheckedMigration[];
  /** Label of the migration records; tests pass their own. */
  migrationLabel?: string;
  timeouts?: Partial<Neo4jTimeouts>;
};

export type Neo4jStore = {
  /** The process's one driver: pass it to the stores; never create another. */
  driver: Driver;
  /** Migrations this start applied (empty when the graph had them all). */
  migrated: string[];
  /** For readiness: true when a connection can be opened and the server answers. */
  isReady(): Promise<boolean>;
  /** Closes every pooled connection; for onStop. */
  close(): Promise<void>;
};

/**
 * One Neo4j driver per process, with bounded timeouts, driver warnings in the service's log, and
 * the given migrations applied (so the constraints the stores rely on exist before the first
 * request). Throws, having closed the driver, when Neo4j cannot be reached or a migration fails.
 */
export async function createNeo4j(opts: CreateNeo4jOptions): Promise<Neo4jStore> {
  const t = { ...DEFAULT_NEO4J_TIMEOUTS, ...opts.timeouts };
  const logger = opts.logger.child({ store: 'neo4j' });
  const { NEO4J_URL, NEO4J_USER, NEO4J_PASSWORD } = opts.config;
  const driver = neo4j.driver(NEO4J_URL, NEO4J_PASSWORD ? neo4j.auth.basic(NEO4J_USER, NEO4J_PASSWORD) : undefined, {
    disableLosslessIntegers: false,
    maxConnectionPoolSize: t.maxConnectionPoolSize,
    maxTransactionRetryTime: t.maxTransactionRetryTimeMs,
    connectionAcquisitionTimeout: t.connectionAcquisitionTimeoutMs,
    connectionTimeout: t.connectionTimeoutMs,
    userAgent: `baas-${opts.service}`,
    logging: { level: 'warn', logger: (level, message) => logger[level === 'error' ? 'error' : 'warn']({ driver: level }, message) },
  });
  let migrated: string[] = [];
  try {
    if (opts.migrations && opts.migrations.length > 0) {
      ({ applied: migrated } = await applyNeo4jMigrations({
        driver,
        migrations: opts.migrations,
        logger,
        ...(opts.migrationLabel ? { label: opts.migrationLabel } : {}),
      }));
    }
  } catch (err) {
    await driver.close().catch(() => undefined);
    throw err;
  }
  return {
    driver,
    migrated,
    isReady: () => driver.verifyConnectivity().then(() => true, () => false),
    close: () => driver.close(),
  };
}
