import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { prismaMigrateStatus } from '@baas/prisma6';
import { DEFAULT_MIGRATIONS_ROOT, DOMAINS, migrate } from '../src/index';
import { createScratchDatabase } from './helpers/scratch-database';

type Scratch = Awaited<ReturnType<typeof createScratchDatabase>>;

/** Prisma Migrate (6.19, the one that runs offline) reads the history this runner writes as its own. */
describe('a database migrated by @baas/db, seen by prisma migrate status', () => {
  let db: Scratch;

  before(async () => {
    db = await createScratchDatabase();
    await migrate({ connectionString: db.url });
  });

  after(async () => {
    await db?.drop();
  });

  it('every domain is up to date', async () => {
    const statuses = await Promise.all(
      DOMAINS.map((domain) =>
        prismaMigrateStatus({
          connectionString: db.url,
          databaseSchema: domain,
          schemaPath: join(DEFAULT_MIGRATIONS_ROOT, domain, 'schema.prisma'),
          migrationsDir: join(DEFAULT_MIGRATIONS_ROOT, domain, 'migrations'),
        }),
      ),
    );
    statuses.forEach((status, i) => assert.ok(status.upToDate, `${DOMAINS[i]}:\n${status.output}`));
  });

  it('reports pending migrations on a database that lacks them', async () => {
    const empty = await createScratchDatabase();
    try {
      const status = await prismaMigrateStatus({
        connectionString: empty.url,
        databaseSchema: 'identity',
        schemaPath: join(DEFAULT_MIGRATIONS_ROOT, 'identity', 'schema.prisma'),
        migrationsDir: join(DEFAULT_MIGRATIONS_ROOT, 'identity', 'migrations'),
      });
      assert.equal(status.upToDate, false, status.output);
      assert.match(status.output, /not yet been applied/);
    } finally {
      await empty.drop();
    }
  });
});
