import { randomUUID } from 'node:crypto';
import { hostname } from 'node:os';
import type { Driver } from 'neo4j-driver';
import type { Logger } from '@baas/observability';
import type { CheckedMigration } from './define-migrations';

export type ApplyNeo4jMigrationsOptions = {
  driver: Driver;
  /** From defineNeo4jMigrations. */
  migrations: readonly CheckedMigration[];
  logger: Logger;
  /** Label of the record nodes, `(:Migration {name, checksum, appliedAt, appliedBy})`; the lock is `(:<label>Lock)`. */
  label?: string;
  /** How long a holder keeps the lock without renewing it (renewed before each statement); server clock. */
  lockLeaseMs?: number;
  /** How long to wait for another process's lock before giving up (the start fails; the supervisor retries). */
  lockWaitMs?: number;
  /** Who is applying (recorded on each migration); default host, pid and a random suffix. */
  holder?: string;
};

/** A migration list the graph disagrees with, or a lock not obtained in time: the start stops here. */
export class Neo4jMigrationError extends Error {
  override name = 'Neo4jMigrationError';
}

const LABEL = /^[A-Za-z_][A-Za-z0-9_]{0,63}$/;
const LOCK_ID = 'migrations';
const POLL_MS = 200;

/**
 * Applies the migrations the graph has not recorded, in order, each in its own auto-commit
 * transaction (Neo4j does not mix schema and data writes in one), and records each as a
 * `(:<label> {name})` node. Processes starting together exclude each other with a leased lock node
 * (write-locked before it is read, so two claimants cannot both see it free); a lock left by a
 * crashed process expires after lockLeaseMs. Every record is written only while the lock is still
 * ours. Throws Neo4jMigrationError when an applied migration's statement changed (add a new
 * migration instead) or the lock stays taken past lockWaitMs.
 */
export async function applyNeo4jMigrations(opts: ApplyNeo4jMigrationsOptions): Promise<{ applied: string[] }> {
  const label = opts.label ?? 'Migration';
  if (!LABEL.test(label)) throw new Error(`Neo4j migration label ${JSON.stringify(label)} must match ${LABEL}`);
  const lockLabel = `${label}Lock`;
  const leaseMs = opts.lockLeaseMs ?? 60_000;
  const waitMs = opts.lockWaitMs ?? 120_000;
  const holder = opts.holder ?? `${hostname()}:${process.pid}:${randomUUID().slice(0, 8)}`;
  const { driver, logger } = opts;
  const run = async (cypher: string, params: Record<string, unknown> = {}) => (await driver.executeQuery(cypher, params)).records;

  const pending = async (): Promise<CheckedMigration[]> => {
    const rows = await run(`MATCH (m:${label}) RETURN m.name AS name, m.checksum AS checksum`);
    const recorded = new Map(rows.map((r) => [r.get('name') as string, r.get('checksum') as string]));
    for (const m of opts.migrations) {
      const checksum = recorded.get(m.name);
      if (checksum !== undefined && checksum !== m.checksum) {
        throw new Neo4jMigrationError(`Neo4j migration ${m.name} changed after it was applied; add a new migration instead`);
      }
    }
    return opts.migrations.filter((m) => !recorded.has(m.name));
  };

  // The record and the lock are unique by key, so MERGE on them is safe between processes.
  await run(`CREATE CONSTRAINT ${label.toLowerCase()}_name_unique IF NOT EXISTS FOR (m:${label}) REQUIRE m.name IS UNIQUE`);
  await run(`CREATE CONSTRAINT ${lockLabel.toLowerCase()}_id_unique IF NOT EXISTS FOR (l:${lockLabel}) REQUIRE l.id IS UNIQUE`);
  if ((await pending()).length === 0) return { applied: [] };

  const claim = async (): Promise<boolean> => {
    const rows = await run(
      `MERGE (l:${lockLabel} {id: $id})
       SET l.claiming = true
       WITH l, timestamp() AS now
       WITH l, now, (l.holder IS NULL OR l.holder = $holder OR l.expiresAt < now) AS free
       SET l.holder = CASE WHEN free THEN $holder ELSE l.holder END,
           l.expiresAt = CASE WHEN free THEN now + $leaseMs ELSE l.expiresAt END
       REMOVE l.claiming
       RETURN free`,
      { id: LOCK_ID, holder, leaseMs },
    );
    return rows[0]?.get('free') === true;
  };
  const deadline = Date.now() + waitMs;
  let waiting = false;
  while (!(await claim())) {
    if (!waiting) logger.info({ label }, 'another process is applying Neo4j migrations; waiting for it');
    waiting = true;
    if (Date.now() > deadline) throw new Neo4jMigrationError(`the Neo4j migration lock (:${lockLabel}) stayed taken for ${waitMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, POLL_MS));
  }

  const applied: string[] = [];
  try {
    for (const migration of await pending()) {
      if (!(await claim())) throw new Neo4jMigrationError('the Neo4j migration lock expired while applying; the next start resumes');
      await run(migration.cypher);
      const recorded = await run(
        `MATCH (l:${lockLabel} {id: $id}) WHERE l.holder = $holder
         MERGE (m:${label} {name: $name})
         ON CREATE SET m.checksum = $checksum, m.appliedAt = datetime(), m.appliedBy = $holder
         RETURN m.name AS name`,
        { id: LOCK_ID, holder, name: migration.name, checksum: migration.checksum },
      );
      if (recorded.length === 0) throw new Neo4jMigrationError(`lost the Neo4j migration lock before recording ${migration.name}; the next start resumes`);
      applied.push(migration.name);
      logger.info({ migration: migration.name }, 'applied Neo4j migration');
    }
  } finally {
    await run(`MATCH (l:${lockLabel} {id: $id}) WHERE l.holder = $holder SET l.holder = null, l.expiresAt = null`, { id: LOCK_ID, holder }).catch(
      (err: unknown) => logger.warn({ err }, 'could not release the Neo4j migration lock; it expires by itself'),
    );
  }
  return { applied };
}
