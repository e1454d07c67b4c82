import { createHash, randomBytes } from 'node:crypto';
import pg from 'pg';
import { DOMAINS, listMigrations, migrate, quoteIdent } from '@baas/db';

/** The local PostgreSQL of scripts/services.sh (its role may CREATE DATABASE). */
export const DEFAULT_ADMIN_URL = 'postgresql://baas:baas@127.0.0.1:5432/baas';

/** Serialises template builds across test processes (advisory locks are per database: all take it in the admin one). */
const TEMPLATE_LOCK_KEY = 0x62616173; // "baas"
/** Bump when the way templates are built changes, so old ones are not reused. */
const TEMPLATE_FORMAT = 1;
const OBJECT_IN_USE = '55006';

export interface CreateTestDatabaseOptions {
  /** A database on the server where the role may CREATE DATABASE; default DEFAULT_ADMIN_URL. */
  adminUrl?: string;
  /** Domains to migrate; default all (DOMAINS). */
  domains?: readonly string[];
  /** Folder holding <domain>/migrations/; default the repository's prisma/. */
  migrationsRoot?: string;
}

export interface TestDatabase {
  url: string;
  name: string;
  /** Drops the database, closing connections still open to it. Safe to call twice. */
  drop(): Promise<void>;
}

/** Template builds this process already saw complete, by server and template name (a fault test has a server of its own). */
const readyTemplates = new Map<string, Promise<void>>();

/**
 * A fresh, fully migrated database for one test file. The migrations run once per set of
 * migration files, into a template database `baas_tpl_<hash>` (built under an advisory lock, so
 * parallel test files wait for one build); each call then clones it with
 * `CREATE DATABASE baas_t_<random> TEMPLATE baas_tpl_<hash>`, which takes milliseconds.
 */
export async function createTestDatabase(opts: CreateTestDatabaseOptions = {}): Promise<TestDatabase> {
  const adminUrl = opts.adminUrl ?? DEFAULT_ADMIN_URL;
  const domains = opts.domains ?? DOMAINS;
  const migrationsRoot = opts.migrationsRoot;
  const template = await templateName({ domains, ...(migrationsRoot ? { migrationsRoot } : {}) });

  const key = `${adminUrl} ${template}`;
  let ready = readyTemplates.get(key);
  if (!ready) {
    ready = ensureTemplate({ adminUrl, template, domains, ...(migrationsRoot ? { migrationsRoot } : {}) });
    readyTemplates.set(key, ready);
    ready.catch(() => readyTemplates.delete(key));
  }
  await ready;

  const name = `baas_t_${randomBytes(8).toString('hex')}`;
  await cloneTemplate({ adminUrl, template, name });
  let dropped: Promise<void> | undefined;
  return {
    url: withDatabase(adminUrl, name),
    name,
    // Pools a test ended may still be closing their connections (pg's Pool.end() resolves once it has
    // asked each to end): FORCE would kill them mid-goodbye, and a client with no error listener
    // turns that into an uncaught exception in the test. So wait (briefly) for them to go first.
    // A superuser session a test opened (the ledger's tamper check) may still be closing: FORCE may not
    // end another role's session, so retry until it has gone.
    drop: () =>
      (dropped ??= waitForNoSessions(adminUrl, name).then(() =>
        retryDrop(() => adminQuery(adminUrl, `DROP DATABASE IF EXISTS ${quoteIdent(name)} WITH (FORCE)`)),
      )),
  };
}

/** `baas_tpl_<hash>`: the hash covers the domains and every migration's name and checksum. */
async function templateName(opts: { domains: readonly string[]; migrationsRoot?: string }): Promise<string> {
  const migrations = await listMigrations(opts);
  const fingerprint = JSON.stringify([TEMPLATE_FORMAT, opts.domains, migrations.map((m) => [m.domain, m.name, m.checksum])]);
  return `baas_tpl_${createHash('sha256').update(fingerprint).digest('hex').slice(0, 16)}`;
}

/**
 * Builds the template unless it exists. It is migrated under a scratch name and renamed when
 * complete, so a template that exists is always whole, even after a crashed build.
 */
async function ensureTemplate(opts: { adminUrl: string; template: string; domains: readonly string[]; migrationsRoot?: string }): Promise<void> {
  const admin = new pg.Client({ connectionString: opts.adminUrl });
  await admin.connect();
  try {
    if (await databaseExists(admin, opts.template)) return;
    await admin.query('SELECT pg_advisory_lock($1)', [TEMPLATE_LOCK_KEY]);
    try {
      if (await databaseExists(admin, opts.template)) return; // another process built it while we waited
      const building = `${opts.template}_build`;
      // whoever built under this name before us crashed: we hold the lock
      await admin.query(`DROP DATABASE IF EXISTS ${quoteIdent(building)} WITH (FORCE)`);
      await admin.query(`CREATE DATABASE ${quoteIdent(building)}`);
      try {
        await migrate({
          connectionString: withDatabase(opts.adminUrl, building),
          domains: opts.domains,
          ...(opts.migrationsRoot ? { migrationsRoot: opts.migrationsRoot } : {}),
        });
        // a session connected to a template makes every clone fail; nobody needs one
        await admin.query(`ALTER DATABASE ${quoteIdent(building)} WITH ALLOW_CONNECTIONS false`);
        await admin.query(`ALTER DATABASE ${quoteIdent(building)} RENAME TO ${quoteIdent(opts.template)}`);
      } catch (error) {
        await admin.query(`DROP DATABASE IF EXISTS ${quoteIdent(building)} WITH (FORCE)`).catch(() => {});
        throw error;
      }
    } finally {
      await admin.query('SELECT pg_advisory_unlock($1)', [TEMPLATE_LOCK_KEY]).catch(() => {});
    }
  } finally {
    await admin.end();
  }
}

async function cloneTemplate(opts: { adminUrl: string; template: string; name: string }): Promise<void> {
  const sql = `CREATE DATABASE ${quoteIdent(opts.name)} TEMPLATE ${quoteIdent(opts.template)}`;
  for (let attempt = 1; ; attempt++) {
    try {
      return await adminQuery(opts.adminUrl, sql);
    } catch (error) {
      // "source database is being accessed by other users": a clone of the same template racing ours
      if ((error as { code?: string }).code !== OBJECT_IN_USE || attempt >= 20) throw error;
      await new Promise((resolve) => setTimeout(resolve, 25 * attempt));
    }
  }
}

async function databaseExists(client: pg.Client, name: string): Promise<boolean> {
  const { rowCount } = await client.query('SELECT 1 FROM pg_database WHERE datname = $1', [name]);
  return rowCount === 1;
}

async function adminQuery(adminUrl: string, sql: string): Promise<void> {
  const client = new pg.Client({ connectionString: adminUrl });
  await client.connect();
  try {
    await client.query(sql);
  } finally {
    await client.end();
  }
}

function withDatabase(url: string, database: string): string {
  const parsed = new URL(url);
  parsed.pathname = `/${database}`;
  return parsed.toString();
}

/** Waits up to `ms` for the database to have no sessions (those still open then are forced out by the drop). */
async function waitForNoSessions(adminUrl: string, database: string, ms = 2_000): Promise<void> {
  const admin = new pg.Client({ connectionString: adminUrl });
  await admin.connect();
  try {
    for (const until = Date.now() + ms; Date.now() < until; ) {
      const { rows } = await admin.query<{ n: number }>('SELECT count(*)::int AS n FROM pg_stat_activity WHERE datname = $1', [database]);
      if (rows[0]!.n === 0) return;
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
  } finally {
    await admin.end();
  }
}

async function retryDrop(drop: () => Promise<void>): Promise<void> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await drop();
    } catch (error) {
      if ((error as { code?: string }).code !== '42501' || attempt >= 40) throw error;
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  }
}
