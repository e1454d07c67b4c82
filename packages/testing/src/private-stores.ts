import { execFile } from 'node:child_process';
import { chmod, mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { freePort } from './ports';

/** The stores of scripts/services.sh, by the names its `start` and `stop` commands take. */
export const STORES = ['postgres', 'redis', 'nats', 'mongo', 'neo4j'] as const;
export type StoreName = (typeof STORES)[number];

export type PrivateStores = {
  /** The instances' data directory (deleted by close()). */
  dir: string;
  /** Each store's URL; `postgres` is the `baas` role's admin database (it may CREATE DATABASE). */
  urls: Record<StoreName, string>;
  /** NATS's monitoring endpoint (`/jsz?consumers=true`: what a consumer was delivered and acknowledged). */
  natsMonitorUrl: string;
  /** The store variables of every service (startPlatform's `env`), DATABASE_URL excepted. */
  env: Record<string, string>;
  /** Stops one store the way an operator does (pg_ctl -m fast, SHUTDOWN, SIGTERM) and waits until it has exited. */
  stop(store: StoreName): Promise<void>;
  /** Starts it again on the same port and data, and waits until it accepts connections. */
  start(store: StoreName): Promise<void>;
  /** Stops everything and deletes the data directory. Safe to call twice. */
  close(): Promise<void>;
};

const SERVICES_SH = fileURLToPath(new URL('../../../scripts/services.sh', import.meta.url));
/** Data directories are named after the test process that owns them, so leftovers of a killed one can be found. */
const PREFIX = 'baas-private-stores-';

type Ports = { pg: number; redis: number; nats: number; natsMonitor: number; neo4j: number; mongo: number };

/**
 * Private instances of the stores (scripts/services.sh `start`, with their own data directory and
 * free ports), for tests that must stop or restart a store: the shared stores on the default ports
 * serve every other test file at the same time and are never touched. Leftovers of a test process
 * that died before close() are stopped and deleted by the next call.
 */
export async function startPrivateStores(opts: { stores?: readonly StoreName[] } = {}): Promise<PrivateStores> {
  await reapLeftovers();
  const stores = opts.stores ?? STORES;
  const dir = await mkdtemp(join(tmpdir(), `${PREFIX}${process.pid}-`));
  // PostgreSQL runs as the postgres user, which must reach its data directory inside this one.
  await chmod(dir, 0o755);
  const ports: Ports = { pg: await freePort(), redis: await freePort(), nats: await freePort(), natsMonitor: await freePort(), neo4j: await freePort(), mongo: await freePort() };
  await writeFile(join(dir, 'ports.json'), JSON.stringify(ports));
  const run = (command: 'start' | 'stop', names: readonly StoreName[]) => services(dir, ports, command, names);

  let closed: Promise<void> | undefined;
  const close = () =>
    (closed ??= (async () => {
      await run('stop', [...STORES].reverse()).catch(() => undefined);
      await rm(dir, { recursive: true, force: true });
    })());
  try {
    // One services.sh per store, at once: Neo4j's JVM takes seconds, the others a fraction of one.
    await Promise.all(stores.map((store) => run('start', [store])));
  } catch (error) {
    await close();
    throw error;
  }

  const urls: Record<StoreName, string> = {
    postgres: `postgresql://baas:baas@127.0.0.1:${ports.pg}/baas`,
    redis: `redis://127.0.0.1:${ports.redis}`,
    nats: `nats://127.0.0.1:${ports.nats}`,
    mongo: `mongodb://127.0.0.1:${ports.mongo}`,
    neo4j: `bolt://127.0.0.1:${ports.neo4j}`,
  };
  return {
    dir,
    urls,
    natsMonitorUrl: `http://127.0.0.1:${ports.natsMonitor}`,
    env: { REDIS_URL: urls.redis, NATS_URL: urls.nats, MONGO_URL: urls.mongo, AUDIT_MONGO_URL: urls.mongo, NEO4J_URL: urls.neo4j },
    stop: (store) => run('stop', [store]),
    start: (store) => run('start', [store]),
    close,
  };
}

function services(dir: string, ports: Ports, command: 'start' | 'stop', names: readonly StoreName[]): Promise<void> {
  const env = {
    ...process.env,
    BAAS_SERVICES: 'local',
    BAAS_DATA_DIR: dir,
    BAAS_PG_PORT: String(ports.pg),
    BAAS_REDIS_PORT: String(ports.redis),
    BAAS_NATS_PORT: String(ports.nats),
    BAAS_NATS_MONITOR_PORT: String(ports.natsMonitor),
    BAAS_NEO4J_PORT: String(ports.neo4j),
    BAAS_MONGO_PORT: String(ports.mongo),
  };
  return new Promise((resolve, reject) => {
    execFile('bash', [SERVICES_SH, command, ...names], { env, timeout: 180_000 }, (error, _stdout, stderr) => {
      if (error) reject(new Error(`services.sh ${command} ${names.join(' ')} failed: ${error.message}\n${stderr}`));
      else resolve();
    });
  });
}

/** Stops and deletes the private stores of test processes that no longer run. */
async function reapLeftovers(): Promise<void> {
  const entries = await readdir(tmpdir()).catch(() => [] as string[]);
  for (const name of entries) {
    if (!name.startsWith(PREFIX)) continue;
    const owner = Number(name.slice(PREFIX.length).split('-')[0]);
    if (!Number.isInteger(owner) || owner === process.pid || alive(owner)) continue;
    const dir = join(tmpdir(), name);
    const ports = await readFile(join(dir, 'ports.json'), 'utf8').then((text) => JSON.parse(text) as Ports, () => null);
    if (ports) await services(dir, ports, 'stop', [...STORES].reverse()).catch(() => undefined);
    await rm(dir, { recursive: true, force: true });
  }
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}
