import { createHash } from 'node:crypto';
import { appendFile, cp, mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { DEFAULT_MIGRATIONS_ROOT, DOMAINS, listMigrations, migrate } from '../src/index';
import { createScratchDatabase, withClient } from './helpers/scratch-database';

type Scratch = Awaited<ReturnType<typeof createScratchDatabase>>;

describe('migrate', () => {
  const scratches: Scratch[] = [];
  const dirs: string[] = [];
  const scratch = async () => {
    const db = await createScratchDatabase();
    scratches.push(db);
    return db;
  };
  /** A copy of the committed migrations that a test may edit. */
  const copyOfMigrations = async (domains: readonly string[]) => {
    const root = await mkdtemp(join(tmpdir(), 'baas-db-migrations-'));
    dirs.push(root);
    for (const domain of domains) {
      await cp(join(DEFAULT_MIGRATIONS_ROOT, domain, 'migrations'), join(root, domain, 'migrations'), { recursive: true });
    }
    return root;
  };

  after(async () => {
    await Promise.all(scratches.map((db) => db.drop()));
    await Promise.all(dirs.map((dir) => rm(dir, { recursive: true, force: true })));
  });

  it('applies every domain once; a second run is harmless', async () => {
    const db = await scratch();
    const committed = await listMigrations();
    const logged: string[] = [];
    const first = await migrate({ connectionString: db.url, log: (msg) => logged.push(msg) });
    assert.deepEqual(first.applied, committed.map((m) => `${m.domain}/${m.name}`));
    assert.ok(DOMAINS.every((domain) => first.applied.some((name) => name.startsWith(`${domain}/`))));
    assert.equal(logged.length, committed.length);

    const second = await migrate({ connectionString: db.url });
    assert.deepEqual(second.applied, []);

    await withClient(db.url, async (client) => {
      for (const domain of DOMAINS) {
        const { rows } = await client.query(
          `SELECT id, checksum, finished_at, migration_name, logs, rolled_back_at, started_at, applied_steps_count
             FROM ${domain}._prisma_migrations ORDER BY migration_name`,
        );
        const expected = committed.filter((m) => m.domain === domain);
        assert.equal(rows.length, expected.length, domain);
        rows.forEach((row, i) => {
          const migration = expected[i]!;
          assert.equal(row.migration_name, migration.name);
          assert.equal(row.checksum, migration.checksum);
          assert.equal(row.applied_steps_count, 1);
          assert.equal(row.logs, null);
          assert.equal(row.rolled_back_at, null);
          assert.ok(row.finished_at instanceof Date && row.started_at instanceof Date);
          assert.ok(row.finished_at >= row.started_at);
          assert.match(row.id, /^[0-9a-f-]{36}$/);
        });
      }
    });
  });

  it('records the checksum Prisma computes: sha256 hex of the file bytes', async () => {
    const [migration] = await listMigrations({ domains: ['identity'] });
    assert.ok(migration);
    assert.equal(migration.checksum, createHash('sha256').update(await readFile(migration.path)).digest('hex'));
  });

  it('migrates only the requested domains', async () => {
    const db = await scratch();
    const { applied } = await migrate({ connectionString: db.url, domains: ['payments'] });
    assert.ok(applied.length > 0 && applied.every((name) => name.startsWith('payments/')));
    await withClient(db.url, async (client) => {
      const { rows } = await client.query(`SELECT nspname FROM pg_namespace WHERE nspname = ANY($1) ORDER BY nspname`, [[...DOMAINS]]);
      assert.deepEqual(rows.map((row) => row.nspname), ['payments']);
    });
  });

  it('refuses to continue when an applied migration was edited', async () => {
    const db = await scratch();
    const root = await copyOfMigrations(['identity']);
    await migrate({ connectionString: db.url, domains: ['identity'], migrationsRoot: root });
    const [migration] = await listMigrations({ domains: ['identity'], migrationsRoot: root });
    assert.ok(migration);
    await appendFile(migration.path, '\n-- edited after it was applied\n');
    await assert.rejects(
      migrate({ connectionString: db.url, domains: ['identity'], migrationsRoot: root }),
      /identity\/\S+_init was modified after it was applied/,
    );
  });

  it('rolls a failing migration back and records nothing, so a fixed file applies later', async () => {
    const db = await scratch();
    const root = await mkdtemp(join(tmpdir(), 'baas-db-migrations-'));
    dirs.push(root);
    const dir = join(root, 'scratch', 'migrations', '20260101000000_broken');
    await mkdir(dir, { recursive: true });
    const file = join(dir, 'migration.sql');
    await writeFile(file, 'CREATE TABLE "scratch"."thing" ("id" INTEGER NOT NULL);\nSELECT 1 / 0;\n');
    await assert.rejects(migrate({ connectionString: db.url, domains: ['scratch'], migrationsRoot: root }), /20260101000000_broken failed/);
    await withClient(db.url, async (client) => {
      const { rows } = await client.query(`SELECT to_regclass('scratch.thing') AS thing, (SELECT count(*)::int FROM scratch._prisma_migrations) AS recorded`);
      assert.deepEqual(rows[0], { thing: null, recorded: 0 });
    });

    await writeFile(file, 'CREATE TABLE "scratch"."thing" ("id" INTEGER NOT NULL);\n');
    const { applied } = await migrate({ connectionString: db.url, domains: ['scratch'], migrationsRoot: root });
    assert.deepEqual(applied, ['scratch/20260101000000_broken']);
  });

  it('refuses to run over a migration recorded as failed (as prisma migrate deploy leaves it)', async () => {
    const db = await scratch();
    const root = await copyOfMigrations(['cards']);
    await migrate({ connectionString: db.url, domains: ['cards'], migrationsRoot: root });
    await withClient(db.url, (client) =>
      client.query(
        `INSERT INTO cards._prisma_migrations (id, checksum, migration_name, logs, applied_steps_count)
         VALUES (gen_random_uuid()::text, 'x', '20990101000000_half_done', 'boom', 0)`,
      ),
    );
    await assert.rejects(migrate({ connectionString: db.url, domains: ['cards'], migrationsRoot: root }), /recorded as failed/);
  });

  it('is safe when two processes migrate the same database at once', async () => {
    const db = await scratch();
    const committed = await listMigrations();
    const results = await Promise.all([migrate({ connectionString: db.url }), migrate({ connectionString: db.url })]);
    const applied = results.flatMap((result) => result.applied).sort();
    assert.deepEqual(applied, committed.map((m) => `${m.domain}/${m.name}`).sort());
  });
});
