import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { quoteIdent } from '../../src/quote-ident';

/** The local PostgreSQL of scripts/services.sh; the role may CREATE DATABASE. */
export const ADMIN_URL = 'postgresql://baas:baas@127.0.0.1:5432/baas';

/** An empty database for one test; @baas/testing is not used here because it depends on this package. */
export async function createScratchDatabase(): Promise<{ url: string; name: string; drop(): Promise<void> }> {
  const name = `baas_dbtest_${randomBytes(6).toString('hex')}`;
  await adminQuery(`CREATE DATABASE ${quoteIdent(name)}`);
  const url = new URL(ADMIN_URL);
  url.pathname = `/${name}`;
  return {
    url: url.toString(),
    name,
    drop: () => adminQuery(`DROP DATABASE IF EXISTS ${quoteIdent(name)} WITH (FORCE)`),
  };
}

async function adminQuery(sql: string): Promise<void> {
  const client = new pg.Client({ connectionString: ADMIN_URL });
  await client.connect();
  try {
    await client.query(sql);
  } finally {
    await client.end();
  }
}

/** Runs `fn` with a connected client to `url`. */
export async function withClient<T>(url: string, fn: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    return await fn(client);
  } finally {
    await client.end();
  }
}
