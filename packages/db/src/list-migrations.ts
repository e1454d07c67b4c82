import { createHash } from 'node:crypto';
import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { DOMAINS } from './domains';

/** The repository's prisma/ folder: <domain>/migrations/<name>/migration.sql. */
export const DEFAULT_MIGRATIONS_ROOT = fileURLToPath(new URL('../../../prisma/', import.meta.url));

export interface Migration {
  domain: string;
  /** The folder name, e.g. 20261129124317_init; also the Postgres schema's `_prisma_migrations.migration_name`. */
  name: string;
  path: string;
  sql: string;
  /** sha256 hex of the file's bytes, as Prisma Migrate computes it. */
  checksum: string;
}

/**
 * Reads every committed migration of `domains` (default: all), in apply order: domain order,
 * then folder-name order within a domain. A domain without a migrations folder has none.
 */
export async function listMigrations(opts: { domains?: readonly string[]; migrationsRoot?: string } = {}): Promise<Migration[]> {
  const root = opts.migrationsRoot ?? DEFAULT_MIGRATIONS_ROOT;
  const migrations: Migration[] = [];
  for (const domain of opts.domains ?? DOMAINS) {
    const dir = join(root, domain, 'migrations');
    const entries = await readdir(dir, { withFileTypes: true }).catch((error: NodeJS.ErrnoException) => {
      if (error.code === 'ENOENT') return [];
      throw error;
    });
    // plain code-unit order, as Prisma sorts: the yyyyMMddHHmmss prefix makes it chronological
    const names = entries.filter((entry) => entry.isDirectory()).map((entry) => entry.name).sort();
    for (const name of names) {
      const path = join(dir, name, 'migration.sql');
      const bytes = await readFile(path);
      migrations.push({ domain, name, path, sql: bytes.toString('utf8'), checksum: createHash('sha256').update(bytes).digest('hex') });
    }
  }
  return migrations;
}
