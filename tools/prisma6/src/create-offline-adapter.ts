import type { SqlDriverAdapter } from '@prisma/driver-adapter-utils';

/** ColumnTypeEnum values from @prisma/driver-adapter-utils 6.19. */
const COLUMN_TYPE = { Int32: 0, Boolean: 5, Text: 7 } as const;

/** The server the platform runs on (scripts/services.sh); migration SQL must not vary with the local one. */
const SERVER_VERSION = { text: 'PostgreSQL 15.0 (offline)', number: 150000 };

/**
 * A driver adapter with no database behind it. `migrate diff --from-empty --to-schema-datamodel`
 * only asks the server's version before rendering SQL, so answering that probe lets it run
 * offline; any other query fails loudly instead of guessing.
 */
export function createOfflineAdapter(): SqlDriverAdapter {
  const refuse = (what: string): never => {
    throw new Error(`the offline Prisma 6 adapter cannot run ${what}; this command needs a database`);
  };
  return {
    provider: 'postgres',
    adapterName: '@prisma/adapter-pg',
    async queryRaw(query) {
      if (!query.sql.includes('server_version_num')) refuse(`query: ${query.sql.slice(0, 120)}`);
      return {
        columnNames: ['exists', 'version', 'numeric_version'],
        columnTypes: [COLUMN_TYPE.Boolean, COLUMN_TYPE.Text, COLUMN_TYPE.Int32],
        rows: [[true, SERVER_VERSION.text, SERVER_VERSION.number]],
      };
    },
    executeRaw: async (query) => refuse(`statement: ${query.sql.slice(0, 120)}`),
    executeScript: async () => refuse('a script'),
    startTransaction: async () => refuse('a transaction'),
    dispose: async () => {},
  };
}
