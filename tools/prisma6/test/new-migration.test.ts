import { cp, mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import pg from 'pg';
import { DEFAULT_PRISMA_ROOT, DEFAULT_SHADOW_URL, isEmptySql, newMigration, schemaToSql } from '../src/index';

async function shadowDatabases(): Promise<string[]> {
  const client = new pg.Client({ connectionString: DEFAULT_SHADOW_URL });
  await client.connect();
  try {
    const { rows } = await client.query<{ datname: string }>(`SELECT datname FROM pg_database WHERE datname LIKE 'prisma6_shadow_%'`);
    return rows.map((row) => row.datname);
  } finally {
    await client.end();
  }
}

describe('newMigration', () => {
  let root: string;

  before(async () => {
    root = await mkdtemp(join(tmpdir(), 'baas-prisma6-'));
    await cp(join(DEFAULT_PRISMA_ROOT, 'identity'), join(root, 'identity'), {
      recursive: true,
      filter: (source) => !source.endsWith('.DS_Store'),
    });
  });

  after(async () => {
    await rm(root, { recursive: true, force: true });
  });

  it('writes nothing while schema.prisma matches the committed migrations', async () => {
    const before = await shadowDatabases();
    assert.equal(await newMigration({ domain: 'identity', name: 'noop', prismaRoot: root }), null);
    assert.deepEqual(await shadowDatabases(), before, 'the shadow database is dropped');
  });

  it('writes the ALTER for an edited schema in a folder that sorts after the existing ones', async () => {
    const schemaPath = join(root, 'identity', 'schema.prisma');
    const source = await readFile(schemaPath, 'utf8');
    await writeFile(schemaPath, source.replace(/(\n\s*slug\s+String\s+@unique)/, '$1\n  legalName String? @map("legal_name")'));
    const existing = (await readdir(join(root, 'identity', 'migrations'))).filter((name) => name !== 'migration_lock.toml').sort();

    const created = await newMigration({ domain: 'identity', name: 'Add legal name', prismaRoot: root, now: new Date('2000-01-01T00:00:00Z') });
    assert.ok(created);
    assert.match(created.sql, /ALTER TABLE "identity"\."tenant" ADD COLUMN\s+"legal_name" TEXT;/);
    const folders = (await readdir(join(root, 'identity', 'migrations'))).filter((name) => name !== 'migration_lock.toml').sort();
    assert.equal(folders.length, existing.length + 1);
    const added = folders.at(-1)!;
    assert.match(added, /^\d{14}_add_legal_name$/);
    assert.ok(added > existing.at(-1)!, 'a clock behind the last migration still sorts after it');
    assert.equal(await readFile(join(root, 'identity', 'migrations', added, 'migration.sql'), 'utf8'), created.sql);

    assert.equal(await newMigration({ domain: 'identity', name: 'again', prismaRoot: root }), null);
  });
});

describe('schemaToSql', () => {
  it('renders the CREATE script of a Prisma 7 schema offline', async () => {
    const sql = await schemaToSql(join(DEFAULT_PRISMA_ROOT, 'identity', 'schema.prisma'));
    assert.match(sql, /CREATE SCHEMA IF NOT EXISTS "identity";/);
    assert.match(sql, /CREATE TABLE "identity"\."tenant"/);
    assert.match(sql, /"sandbox" BOOLEAN NOT NULL DEFAULT true/);
    assert.match(sql, /FOREIGN KEY \("tenant_id"\) REFERENCES "identity"\."tenant"\("id"\)/);
    assert.equal(isEmptySql(sql), false);
    assert.equal(isEmptySql('-- This is an empty migration.\n\n'), true);
  });
});
