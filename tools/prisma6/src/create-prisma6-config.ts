import { defineConfig } from 'prisma/config';
import { createMigrateAdapter } from './create-migrate-adapter';

/**
 * A Prisma 6.19 config that runs the JS (wasm) schema engine through adapter-pg, so no
 * engine binary has to be downloaded. Without `connectionString` it runs offline (see
 * createOfflineAdapter); with one, `--from-migrations` can build its shadow database there.
 */
export function createPrisma6Config(opts: {
  connectionString?: string;
  shadowDatabaseName: string;
  /** Postgres schema of `_prisma_migrations`, for `migrate status`/`deploy`. */
  databaseSchema?: string;
  /** Path of the (converted) schema.prisma and of the migrations folder, for commands that take no flag for them. */
  schemaPath?: string;
  migrationsPath?: string;
}) {
  return defineConfig({
    experimental: { adapter: true },
    engine: 'js',
    ...(opts.schemaPath ? { schema: opts.schemaPath } : {}),
    ...(opts.migrationsPath ? { migrations: { path: opts.migrationsPath } } : {}),
    adapter: async () =>
      createMigrateAdapter({
        shadowDatabaseName: opts.shadowDatabaseName,
        ...(opts.connectionString ? { connectionString: opts.connectionString } : {}),
        ...(opts.databaseSchema ? { schema: opts.databaseSchema } : {}),
      }),
  });
}
