import { PrismaPg } from '@prisma/adapter-pg';
import type { SqlDriverAdapter, SqlMigrationAwareDriverAdapterFactory } from '@prisma/driver-adapter-utils';
import pg from 'pg';
import { createOfflineAdapter } from './create-offline-adapter';

const PG_CHAR = 18;
const PG_NAME = 19;
const PG_TEXT = 25;
const PG_OID = 26;
/** ColumnTypeEnum.Character in @prisma/driver-adapter-utils 6.19. */
const COLUMN_TYPE_CHARACTER = 6;

/** Positions of Postgres `"char"` columns in a result, keyed by the rows array the adapter passes through. */
const charColumnsByRows = new WeakMap<object, number[]>();

/**
 * A pg pool whose results the 6.19 adapter can hand to the schema describer. adapter-pg 6.19
 * rejects the catalog types `name` and `"char"` and hands `oid` over as a number where the
 * describer wants an Int64 string, so `migrate diff --from-migrations` fails to introspect the
 * shadow database; relabel those columns here and restore `"char"` in `patchAdapter`.
 */
function createCatalogFriendlyPool(connectionString: string, schema?: string): pg.Pool {
  const pool = new pg.Pool({
    connectionString,
    max: 2,
    // the CLI exits without disposing adapters; idle clients must not keep it alive
    allowExitOnIdle: true,
    // the JS engine writes `_prisma_migrations` unqualified; the native one sets search_path from ?schema= the same way
    ...(schema ? { options: `-c search_path="${schema.replace(/"/g, '""')}"` } : {}),
  });
  pool.on('error', () => {}); // an idle client dying must not kill the CLI; the next query reports it
  const query = pool.query.bind(pool) as (...args: unknown[]) => unknown;
  const relabel = (result: pg.QueryResult<unknown[]>): pg.QueryResult<unknown[]> => {
    const chars: number[] = [];
    result.fields?.forEach((field, index) => {
      if (field.dataTypeID === PG_OID) {
        for (const row of result.rows) if (row[index] != null) row[index] = String(row[index]);
      } else if (field.dataTypeID === PG_CHAR || field.dataTypeID === PG_NAME) {
        if (field.dataTypeID === PG_CHAR) chars.push(index);
        field.dataTypeID = PG_TEXT;
      }
    });
    if (chars.length > 0 && Array.isArray(result.rows)) charColumnsByRows.set(result.rows, chars);
    return result;
  };
  pool.query = ((...args: unknown[]) => {
    const pending = query(...args);
    return pending instanceof Promise ? pending.then(relabel) : pending;
  }) as typeof pool.query;
  return pool;
}

/** Restores `"char"` column types and runs migration scripts whole instead of split on `;`. */
function patchAdapter(adapter: SqlDriverAdapter, pool: pg.Pool, dispose: () => Promise<void>): SqlDriverAdapter {
  const queryRaw = adapter.queryRaw.bind(adapter);
  const disposeAdapter = adapter.dispose.bind(adapter);
  const onError = (adapter as unknown as { onError(error: unknown): never }).onError.bind(adapter);
  const executeRaw = adapter.executeRaw.bind(adapter);
  adapter.executeRaw = (query) => executeRaw(query).catch(reportCause);
  adapter.queryRaw = async (query) => {
    const result = await queryRaw(query).catch(reportCause);
    for (const index of charColumnsByRows.get(result.rows) ?? []) result.columnTypes[index] = COLUMN_TYPE_CHARACTER;
    return result;
  };
  // adapter-pg splits scripts on every ';', which breaks string literals and DO blocks
  adapter.executeScript = async (script) => {
    try {
      await pool.query(script);
    } catch (error) {
      describeCause(error);
      onError(error);
    }
  };
  adapter.dispose = async () => {
    await disposeAdapter();
    await dispose();
  };
  return adapter;
}

/**
 * The CLI prints an adapter's failure only as "External error id#N"; write the driver's code and
 * message to stderr first, so a failed `migrate diff` says why (the output lands in the thrown
 * error). This runs on a developer's shadow database: the message names SQL, never a password.
 */
function describeCause(error: unknown): void {
  const e = error as { code?: string; message?: string; cause?: { code?: string; message?: string } };
  const code = e?.code ?? e?.cause?.code ?? '';
  const message = e?.cause?.message ?? e?.message ?? String(error);
  process.stderr.write(`prisma6 adapter: ${code ? `${code} ` : ''}${message}\n`);
}

function reportCause(error: unknown): never {
  describeCause(error);
  throw error;
}

function withDatabase(connectionString: string, database: string): string {
  const url = new URL(connectionString);
  url.pathname = `/${database}`;
  return url.toString();
}

/**
 * The driver adapter factory Prisma 6.19's JS schema engine needs for `migrate diff`.
 * Without `connectionString` it works offline (enough for `--from-empty`). With one,
 * `connectToShadowDb` creates `shadowDatabaseName` on that server (the caller drops it
 * afterwards too, because the CLI exits without disposing).
 */
export function createMigrateAdapter(opts: {
  connectionString?: string;
  shadowDatabaseName: string;
  /** The Postgres schema holding `_prisma_migrations` (as `?schema=` does for Prisma's own URLs); default public. */
  schema?: string;
}): SqlMigrationAwareDriverAdapterFactory {
  const { connectionString, shadowDatabaseName } = opts;
  const pgOptions = opts.schema ? { schema: opts.schema } : undefined;
  return {
    provider: 'postgres',
    adapterName: '@prisma/adapter-pg',
    async connect() {
      if (!connectionString) return createOfflineAdapter();
      const pool = createCatalogFriendlyPool(connectionString, opts.schema);
      const adapter = await new PrismaPg(pool, pgOptions).connect();
      return patchAdapter(adapter, pool, () => pool.end());
    },
    async connectToShadowDb() {
      if (!connectionString) throw new Error('a shadow database needs a connection string');
      const admin = new pg.Client({ connectionString });
      await admin.connect();
      try {
        await admin.query(`CREATE DATABASE "${shadowDatabaseName}"`).catch(reportCause);
      } finally {
        await admin.end();
      }
      const pool = createCatalogFriendlyPool(withDatabase(connectionString, shadowDatabaseName), opts.schema);
      const adapter = await new PrismaPg(pool, pgOptions).connect();
      return patchAdapter(adapter, pool, async () => {
        await pool.end();
        await dropDatabase({ connectionString, database: shadowDatabaseName });
      });
    },
  };
}

/** Drops a scratch database, disconnecting whoever still holds it. */
export async function dropDatabase(opts: { connectionString: string; database: string }): Promise<void> {
  const admin = new pg.Client({ connectionString: opts.connectionString });
  await admin.connect();
  try {
    await admin.query(`DROP DATABASE IF EXISTS "${opts.database}" WITH (FORCE)`);
  } finally {
    await admin.end();
  }
}
