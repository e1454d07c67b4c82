import { randomUUID } from 'node:crypto';
import { appendFile, cp, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import pg from 'pg';
import { DEFAULT_MIGRATIONS_ROOT, DOMAINS, listMigrations } from '@baas/db';
import { createTestDatabase, DEFAULT_ADMIN_URL, type TestDatabase } from '../src/database';

async function query<T extends pg.QueryResultRow>(url: string, sql: string, params: unknown[] = []): Promise<T[]> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    return (await client.query<T>(sql, params)).rows;
  } finally {
    await client.end();
  }
}

async function databaseNames(pattern: string): Promise<string[]> {
  const rows = await query<{ datname: string }>(DEFAULT_ADMIN_URL, 'SELECT datname FROM pg_database WHERE datname LIKE $1', [pattern]);
  return rows.map((row) => row.datname).sort();
}

describe('createTestDatabase', () => {
  const created: TestDatabase[] = [];
  const track = (db: TestDatabase) => (created.push(db), db);
  const cleanups: Array<() => Promise<unknown>> = [];

  after(async () => {
    await Promise.all(created.map((db) => db.drop()));
    for (const cleanup of cleanups) await cleanup();
  });

  it('gives a database with every domain migrated', async () => {
    const db = track(await createTestDatabase());
    assert.match(db.name, /^baas_t_[0-9a-f]{16}$/);
    assert.equal(new URL(db.url).pathname, `/${db.name}`);
    const committed = await listMigrations();
    const rows = await query<{ schema: string; recorded: number }>(
      db.url,
      DOMAINS.map((domain) => `SELECT '${domain}' AS schema, count(*)::int AS recorded FROM ${domain}._prisma_migrations WHERE finished_at IS NOT NULL`).join(' UNION ALL '),
    );
    for (const domain of DOMAINS) {
      assert.equal(rows.find((row) => row.schema === domain)?.recorded, committed.filter((m) => m.domain === domain).length, domain);
    }
    await query(db.url, `INSERT INTO identity.tenant (id, slug, name) VALUES (gen_random_uuid(), 'acme', 'Acme')`);
  });

  it('clones a template named from the migrations hash, closed to connections', async () => {
    await createTestDatabase().then(track);
    const templates = await query<{ datname: string; datallowconn: boolean }>(
      DEFAULT_ADMIN_URL,
      `SELECT datname, datallowconn FROM pg_database WHERE datname ~ '^baas_tpl_[0-9a-f]{16}$'`,
    );
    assert.ok(templates.length >= 1);
    assert.ok(templates.every((t) => t.datallowconn === false));
    assert.deepEqual(await databaseNames('baas_tpl_%_build'), [], 'no half-built template is left');
  });

  it('isolates databases from each other, also when created in parallel', async () => {
    const dbs = (await Promise.all(Array.from({ length: 4 }, () => createTestDatabase()))).map(track);
    assert.equal(new Set(dbs.map((db) => db.name)).size, 4);
    await query(dbs[0]!.url, `INSERT INTO payments.payment_order (id, tenant_id, customer_id, account_id, ledger_account_id, direction, rail, amount, currency, state, request_hash)
      VALUES (gen_random_uuid(), gen_random_uuid(), gen_random_uuid(), gen_random_uuid(), gen_random_uuid(), 'OUT', 'PIX', 12345, 'BRL', 'CREATED', 'k1')`);
    const counts = await Promise.all(dbs.map((db) => query<{ n: number }>(db.url, 'SELECT count(*)::int AS n FROM payments.payment_order')));
    assert.deepEqual(counts.map((rows) => rows[0]!.n), [1, 0, 0, 0]);
    const [amount] = await query<{ amount: string }>(dbs[0]!.url, 'SELECT amount FROM payments.payment_order');
    assert.equal(BigInt(amount!.amount), 12345n);
  });

  it('migrates only the requested domains', async () => {
    const db = track(await createTestDatabase({ domains: ['ledger'] }));
    const rows = await query<{ nspname: string }>(db.url, 'SELECT nspname FROM pg_namespace WHERE nspname = ANY($1)', [[...DOMAINS]]);
    assert.deepEqual(rows.map((row) => row.nspname), ['ledger']);
  });

  it('builds a new template when a migration is added', async () => {
    const root = await mkdtemp(join(tmpdir(), 'baas-testing-'));
    cleanups.push(() => rm(root, { recursive: true, force: true }));
    await cp(join(DEFAULT_MIGRATIONS_ROOT, 'cards', 'migrations'), join(root, 'cards', 'migrations'), { recursive: true });
    const [latest] = (await listMigrations({ domains: ['cards'], migrationsRoot: root })).slice(-1);
    // Migrations of their own (a comment): the cards tests running beside this one build the template of the real ones.
    await appendFile(latest!.path, `\n-- ${randomUUID()}\n`);
    const before = await databaseNames('baas_tpl_%');

    const first = track(await createTestDatabase({ domains: ['cards'], migrationsRoot: root }));
    await appendFile(latest!.path, '\nALTER TABLE "cards"."card" ADD COLUMN "nickname" TEXT;\n');
    const second = track(await createTestDatabase({ domains: ['cards'], migrationsRoot: root }));

    const added = (await databaseNames('baas_tpl_%')).filter((name) => !before.includes(name));
    cleanups.push(() => Promise.all(added.map((name) => query(DEFAULT_ADMIN_URL, `DROP DATABASE IF EXISTS "${name}"`))));
    assert.equal(added.length, 2);
    const columns = (db: TestDatabase) =>
      query<{ column_name: string }>(db.url, `SELECT column_name FROM information_schema.columns WHERE table_schema = 'cards' AND column_name = 'nickname'`);
    assert.equal((await columns(first)).length, 0);
    assert.equal((await columns(second)).length, 1);
  });

  it('drop removes the database even with a connection open, and twice is harmless', async () => {
    const db = await createTestDatabase();
    const client = new pg.Client({ connectionString: db.url });
    client.on('error', () => {}); // the forced drop terminates it
    await client.connect();
    await db.drop();
    await db.drop();
    assert.deepEqual(await databaseNames(db.name), []);
    await client.end().catch(() => {});
  });
});
