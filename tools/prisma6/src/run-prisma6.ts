import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { chmod, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { homedir, tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { dropDatabase } from './create-migrate-adapter';
import { toPrisma6Schema } from './to-prisma6-schema';

const require = createRequire(import.meta.url);
// resolved from this package, so it is the nested 6.19 copy and never the root's Prisma 7
const PRISMA6_CLI = join(dirname(require.resolve('prisma/package.json')), 'build', 'index.js');
const CONFIG_MODULE = fileURLToPath(new URL('./create-prisma6-config.ts', import.meta.url));

export interface RunPrisma6Options {
  /** A Prisma 7 schema; it is converted and written to the scratch directory. */
  schemaSource: string;
  /** CLI arguments after `prisma`, given the converted schema's path and a file the command may write to. */
  args: (paths: { schema: string; output: string }) => string[];
  /**
   * The database the command works on; its server also hosts the shadow database that
   * `--from-migrations` creates (dropped afterwards). Without it the command runs offline.
   */
  connectionString?: string;
  /** Postgres schema holding `_prisma_migrations` (what `?schema=` selects in a Prisma URL). */
  databaseSchema?: string;
  /** Migrations folder for commands that read it from the config (`migrate status`, `deploy`). */
  migrationsPath?: string;
}

export interface Prisma6Result {
  code: number;
  /** stdout and stderr, interleaved. */
  output: string;
  /** What the command wrote to `paths.output`, if anything. */
  file: string | null;
}

/**
 * Runs the Prisma 6.19 CLI offline in a scratch directory (converted schema, generated
 * prisma.config.ts, an empty engine stub); resolves with its exit code and output.
 */
export async function runPrisma6(opts: RunPrisma6Options): Promise<Prisma6Result> {
  const dir = await mkdtemp(join(tmpdir(), 'baas-prisma6-'));
  const shadowDatabaseName = `prisma6_shadow_${randomBytes(6).toString('hex')}`;
  const paths = { schema: join(dir, 'schema.prisma'), output: join(dir, 'output.sql') };
  const config = join(dir, 'prisma.config.ts');
  const engineStub = join(dir, 'engine-stub');
  const configOptions = {
    shadowDatabaseName,
    schemaPath: paths.schema,
    ...(opts.connectionString ? { connectionString: opts.connectionString } : {}),
    ...(opts.databaseSchema ? { databaseSchema: opts.databaseSchema } : {}),
    ...(opts.migrationsPath ? { migrationsPath: opts.migrationsPath } : {}),
  };
  try {
    await writeFile(paths.schema, toPrisma6Schema(opts.schemaSource));
    await writeFile(
      config,
      `import { createPrisma6Config } from ${JSON.stringify(CONFIG_MODULE)};\n` +
        `export default createPrisma6Config(${JSON.stringify(configOptions)});\n`,
    );
    // the CLI only checks that the engine files exist; the JS engine does the work
    await writeFile(engineStub, '');
    await chmod(engineStub, 0o755);
    const { code, output } = await execPrisma6({
      args: [...opts.args(paths), '--config', config],
      cwd: dir,
      env: {
        HOME: homedir(),
        TMPDIR: tmpdir(),
        NO_COLOR: '1',
        CHECKPOINT_DISABLE: '1',
        PRISMA_HIDE_UPDATE_MESSAGE: '1',
        PRISMA_SCHEMA_ENGINE_BINARY: engineStub,
        PRISMA_QUERY_ENGINE_LIBRARY: engineStub,
      },
    });
    const file = await readFile(paths.output, 'utf8').catch(() => null);
    return { code, output, file };
  } finally {
    if (opts.connectionString) await dropDatabase({ connectionString: opts.connectionString, database: shadowDatabaseName });
    await rm(dir, { recursive: true, force: true });
  }
}

/** Like runPrisma6, but a non-zero exit is an error and the result is the output file. */
export async function runPrisma6ForFile(opts: RunPrisma6Options): Promise<string> {
  const result = await runPrisma6(opts);
  if (result.code !== 0 || result.file === null) {
    throw new Error(`prisma@6 ${opts.args({ schema: 'schema.prisma', output: 'out' }).slice(0, 2).join(' ')} exited with ${result.code}:\n${result.output.trim()}`);
  }
  return result.file;
}

function execPrisma6(opts: { args: string[]; cwd: string; env: Record<string, string> }): Promise<{ code: number; output: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [PRISMA6_CLI, ...opts.args], {
      cwd: opts.cwd,
      env: opts.env,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let output = '';
    child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code: code ?? 1, output }));
  });
}
