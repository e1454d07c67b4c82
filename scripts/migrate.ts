// Applies the committed SQL migrations of every domain (prisma/<domain>/migrations) to a database.
//   tsx scripts/migrate.ts <databaseUrl>      (npm run db:migrate -- <databaseUrl>)
// The URL is an argument, not an environment variable: only @baas/config reads the environment.
import { DOMAINS, migrate } from '@baas/db';

async function main(argv: string[]): Promise<number> {
  const [connectionString, ...rest] = argv;
  if (!connectionString || rest.length > 0 || !/^postgres(ql)?:\/\//.test(connectionString)) {
    console.error('usage: tsx scripts/migrate.ts postgresql://user:password@host:5432/database');
    return 2;
  }
  const { applied } = await migrate({ connectionString, log: (msg) => console.log(`[migrate] ${msg}`) });
  console.log(`[migrate] ${applied.length === 0 ? 'up to date' : `${applied.length} applied`} (${DOMAINS.join(', ')})`);
  return 0;
}

try {
  process.exitCode = await main(process.argv.slice(2));
} catch (error) {
  console.error(`[migrate] ${(error as Error).message}`);
  process.exitCode = 1;
}
