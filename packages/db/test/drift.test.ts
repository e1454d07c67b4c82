import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { schemaToSql } from '@baas/prisma6';
import { DEFAULT_MIGRATIONS_ROOT, DOMAINS, migrate } from '../src/index';
import { dumpSchema } from './helpers/dump-schema';
import { createScratchDatabase, withClient } from './helpers/scratch-database';

type Scratch = Awaited<ReturnType<typeof createScratchDatabase>>;

/**
 * A schema.prisma edited without a new migration fails here: the committed migrations and the
 * SQL Prisma renders from schema.prisma must build the same catalog. Fix it with
 * `tools/prisma6/new-migration.sh <domain> <name>`.
 */
describe('committed migrations match schema.prisma', () => {
  let migrated: Scratch;
  let fromSchema: Scratch;
  const schemaSql = new Map<string, string>();

  before(async () => {
    [migrated, fromSchema] = await Promise.all([createScratchDatabase(), createScratchDatabase()]);
    const rendered = await Promise.all(DOMAINS.map((domain) => schemaToSql(join(DEFAULT_MIGRATIONS_ROOT, domain, 'schema.prisma'))));
    DOMAINS.forEach((domain, i) => schemaSql.set(domain, rendered[i]!));
    await migrate({ connectionString: migrated.url });
    await withClient(fromSchema.url, async (client) => {
      for (const sql of rendered) await client.query(sql);
    });
  });

  after(async () => {
    await Promise.all([migrated?.drop(), fromSchema?.drop()]);
  });

  for (const domain of DOMAINS) {
    it(`${domain}: migrations and schema.prisma build the same tables, columns, indexes and constraints`, async () => {
      const [actual, expected] = await Promise.all([
        withClient(migrated.url, (client) => dumpSchema(client, domain)),
        withClient(fromSchema.url, (client) => dumpSchema(client, domain)),
      ]);
      assert.ok(expected.relations.length > 0, `${domain}: schema.prisma renders no table`);
      assert.deepEqual(
        actual,
        expected,
        `prisma/${domain}/schema.prisma differs from its migrations; run tools/prisma6/new-migration.sh ${domain} <name>`,
      );
    });
  }

  it('notices a schema.prisma edited without a migration', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'baas-drift-'));
    const db = await createScratchDatabase();
    try {
      const source = await readFile(join(DEFAULT_MIGRATIONS_ROOT, 'identity', 'schema.prisma'), 'utf8');
      const edited = source.replace(/(\n\s*slug\s+String\s+@unique)/, '$1\n  legalName String? @map("legal_name")');
      assert.notEqual(edited, source);
      await writeFile(join(dir, 'schema.prisma'), edited);
      const sql = await schemaToSql(join(dir, 'schema.prisma'));
      await withClient(db.url, (client) => client.query(sql));
      const [committed, drifted] = await Promise.all([
        withClient(migrated.url, (client) => dumpSchema(client, 'identity')),
        withClient(db.url, (client) => dumpSchema(client, 'identity')),
      ]);
      assert.notDeepEqual(committed, drifted);
      assert.ok(drifted.columns.some((column) => column.column === 'legal_name'));
    } finally {
      await db.drop();
      await rm(dir, { recursive: true, force: true });
    }
  });
});
