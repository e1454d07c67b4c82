import { relative } from 'node:path';
import { DEFAULT_SHADOW_URL, newMigration } from './new-migration';

const USAGE = 'usage: tools/prisma6/new-migration.sh <domain> <name> [--shadow-url postgresql://...]';

/** CLI behind tools/prisma6/new-migration.sh. */
async function main(argv: string[]): Promise<number> {
  const positional: string[] = [];
  let connectionString = DEFAULT_SHADOW_URL;
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    if (arg === '--shadow-url') connectionString = argv[++i] ?? '';
    else if (arg === '-h' || arg === '--help') return console.log(USAGE), 0;
    else positional.push(arg);
  }
  const [domain, name] = positional;
  if (!domain || !name || positional.length > 2 || !connectionString) {
    console.error(USAGE);
    return 2;
  }
  const created = await newMigration({ domain, name, connectionString });
  if (!created) {
    console.log(`${domain}: schema.prisma matches the committed migrations; nothing to write`);
    return 0;
  }
  console.log(`${domain}: wrote ${relative(process.cwd(), created.dir)}/migration.sql\n\n${created.sql}`);
  return 0;
}

process.exitCode = await main(process.argv.slice(2));
