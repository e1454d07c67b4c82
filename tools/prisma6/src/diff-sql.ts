import { readFile } from 'node:fs/promises';
import { runPrisma6ForFile } from './run-prisma6';

/**
 * The SQL that creates `schemaPath` (a Prisma 7 schema) from an empty database, as Prisma
 * Migrate would write it. Runs offline; no database is contacted.
 */
export async function schemaToSql(schemaPath: string): Promise<string> {
  return runPrisma6ForFile({
    schemaSource: await readFile(schemaPath, 'utf8'),
    args: ({ schema, output }) => ['migrate', 'diff', '--from-empty', '--to-schema-datamodel', schema, '--script', '--output', output],
  });
}

/**
 * The SQL that brings a database migrated with `migrationsDir` to `schemaPath`. Prisma replays
 * the migrations into a throwaway shadow database created on `connectionString`'s server.
 */
export async function migrationsToSchemaSql(opts: {
  schemaPath: string;
  migrationsDir: string;
  connectionString: string;
}): Promise<string> {
  return runPrisma6ForFile({
    schemaSource: await readFile(opts.schemaPath, 'utf8'),
    connectionString: opts.connectionString,
    args: ({ schema, output }) => [
      'migrate', 'diff',
      '--from-migrations', opts.migrationsDir,
      '--to-schema-datamodel', schema,
      '--script', '--output', output,
    ],
  });
}

/** True when a `migrate diff --script` output holds no statement (only comments and blanks). */
export function isEmptySql(sql: string): boolean {
  return sql
    .split('\n')
    .map((line) => line.replace(/--.*$/, '').trim())
    .every((line) => line === '');
}
