import { readFile } from 'node:fs/promises';
import { runPrisma6 } from './run-prisma6';

/**
 * `prisma migrate status` (6.19, JS engine) for one domain: what Prisma Migrate itself thinks
 * of `<domain>._prisma_migrations` against the committed migrations folder. Used to prove a
 * database migrated by @baas/db stays acceptable to `prisma migrate deploy`.
 */
export async function prismaMigrateStatus(opts: {
  connectionString: string;
  schemaPath: string;
  migrationsDir: string;
  /** The Postgres schema of the domain (its `?schema=`). */
  databaseSchema: string;
}): Promise<{ upToDate: boolean; output: string }> {
  const result = await runPrisma6({
    schemaSource: await readFile(opts.schemaPath, 'utf8'),
    connectionString: opts.connectionString,
    databaseSchema: opts.databaseSchema,
    migrationsPath: opts.migrationsDir,
    args: () => ['migrate', 'status'],
  });
  return { upToDate: result.code === 0 && result.output.includes('Database schema is up to date'), output: result.output };
}
