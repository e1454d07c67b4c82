import { randomUUID } from 'node:crypto';
import pg from 'pg';
import { listMigrations, type Migration } from './list-migrations';
import { quoteIdent } from './quote-ident';

/** The advisory lock key Prisma Migrate takes, so this runner and `prisma migrate deploy` exclude each other too. */
const MIGRATE_LOCK_KEY = 72707369;

/** Prisma Migrate's own DDL for its history table, so `prisma migrate deploy` can take over later. */
const HISTORY_TABLE_DDL = `(
    id                      VARCHAR(36) PRIMARY KEY NOT NULL,
    checksum                VARCHAR(64) NOT NULL,
    finished_at             TIMESTAMPTZ,
    migration_name          VARCHAR(255) NOT NULL,
    logs                    TEXT,
    rolled_back_at          TIMESTAMPTZ,
    started_at              TIMESTAMPTZ NOT NULL DEFAULT now(),
    applied_steps_count     INTEGER NOT NULL DEFAULT 0
)`;

export interface MigrateOptions {
  connectionString: string;
  /** Default: every domain in DOMAINS. */
  domains?: readonly string[];
  /** Folder holding <domain>/migrations/; default: the repository's prisma/. */
  migrationsRoot?: string;
  log?: (msg: string) => void;
}

interface HistoryRow {
  migration_name: string;
  checksum: string;
  finished_at: Date | null;
}

/**
 * Applies the committed SQL migrations of each domain that the database lacks, in name order,
 * each in its own transaction, recording them in `<domain>._prisma_migrations` exactly as
 * Prisma Migrate does (so `prisma migrate deploy` with `?schema=<domain>` accepts the database).
 * Idempotent; serialised across processes by a Postgres advisory lock. Throws, before applying
 * anything further, when an applied migration's file changed or a migration is recorded as failed.
 * Returns the applied migrations as `<domain>/<name>`.
 */
export async function migrate(opts: MigrateOptions): Promise<{ applied: string[] }> {
  const log = opts.log ?? (() => {});
  const migrations = await listMigrations({
    ...(opts.domains ? { domains: opts.domains } : {}),
    ...(opts.migrationsRoot ? { migrationsRoot: opts.migrationsRoot } : {}),
  });
  const client = new pg.Client({ connectionString: opts.connectionString });
  await client.connect();
  const applied: string[] = [];
  try {
    // session-level: held across the per-migration transactions, released by the unlock or the disconnect
    await client.query('SELECT pg_advisory_lock($1)', [MIGRATE_LOCK_KEY]);
    try {
      for (const [domain, committed] of groupByDomain(migrations)) {
        for (const migration of await pendingMigrations(client, domain, committed, log)) {
          await applyMigration(client, migration);
          applied.push(`${domain}/${migration.name}`);
          log(`applied ${domain}/${migration.name}`);
        }
      }
    } finally {
      // a broken connection released the lock already; keep the original error
      await client.query('SELECT pg_advisory_unlock($1)', [MIGRATE_LOCK_KEY]).catch(() => {});
    }
  } finally {
    await client.end();
  }
  return { applied };
}

function groupByDomain(migrations: Migration[]): Map<string, Migration[]> {
  const groups = new Map<string, Migration[]>();
  for (const migration of migrations) {
    const group = groups.get(migration.domain) ?? [];
    group.push(migration);
    groups.set(migration.domain, group);
  }
  return groups;
}

/** Creates the domain's schema and history table when missing and returns what is left to apply. */
async function pendingMigrations(
  client: pg.Client,
  domain: string,
  migrations: Migration[],
  log: (msg: string) => void,
): Promise<Migration[]> {
  const schema = quoteIdent(domain);
  await client.query(`CREATE SCHEMA IF NOT EXISTS ${schema}`);
  await client.query(`CREATE TABLE IF NOT EXISTS ${schema}."_prisma_migrations" ${HISTORY_TABLE_DDL}`);
  const { rows } = await client.query<HistoryRow>(
    `SELECT migration_name, checksum, finished_at FROM ${schema}."_prisma_migrations"
      WHERE rolled_back_at IS NULL ORDER BY started_at`,
  );
  const history = new Map(rows.map((row) => [row.migration_name, row]));
  const local = new Set(migrations.map((migration) => migration.name));
  for (const row of rows) {
    if (row.finished_at === null) {
      throw new Error(
        `${domain}/${row.migration_name} is recorded as failed in ${domain}._prisma_migrations; ` +
          'fix the database and mark it rolled back before migrating again',
      );
    }
    if (!local.has(row.migration_name)) log(`warning: ${domain}/${row.migration_name} is applied but not committed`);
  }
  const pending: Migration[] = [];
  for (const migration of migrations) {
    const row = history.get(migration.name);
    if (!row) pending.push(migration);
    else if (row.checksum !== migration.checksum) {
      throw new Error(
        `${domain}/${migration.name} was modified after it was applied (checksum ${row.checksum} in the database, ` +
          `${migration.checksum} on disk); add a new migration instead of editing an applied one`,
      );
    }
  }
  return pending;
}

async function applyMigration(client: pg.Client, migration: Migration): Promise<void> {
  const history = `${quoteIdent(migration.domain)}."_prisma_migrations"`;
  const id = randomUUID();
  await client.query('BEGIN');
  try {
    await client.query(
      `INSERT INTO ${history} (id, checksum, migration_name, started_at, applied_steps_count)
       VALUES ($1, $2, $3, clock_timestamp(), 0)`,
      [id, migration.checksum, migration.name],
    );
    // no parameters: the simple query protocol runs the whole multi-statement file
    await client.query(migration.sql);
    await client.query(`UPDATE ${history} SET finished_at = clock_timestamp(), applied_steps_count = 1 WHERE id = $1`, [id]);
    await client.query('COMMIT');
  } catch (error) {
    await client.query('ROLLBACK').catch(() => {});
    throw new Error(`migration ${migration.domain}/${migration.name} failed and was rolled back: ${(error as Error).message}`, {
      cause: error,
    });
  }
}
