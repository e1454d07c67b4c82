export { schemaToSql, migrationsToSchemaSql, isEmptySql } from './diff-sql';
export { prismaMigrateStatus } from './migrate-status';
export { newMigration, DEFAULT_PRISMA_ROOT, DEFAULT_SHADOW_URL } from './new-migration';
export type { NewMigrationOptions } from './new-migration';
export { toPrisma6Schema } from './to-prisma6-schema';
export { createPrisma6Config } from './create-prisma6-config';
