// bench/gateways.ts's fixture: the subgraphs that the queries reach in processes of their own, a
// counting proxy (bench/gateways-proxy.ts) in front of every subgraph, and the three gateways, each
// its own process, on one supergraph whose routing URLs point at the proxy.
import { spawn, type ChildProcess } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import pg from 'pg';
import { createTestDatabase, freePort } from '@baas/testing';
import { startPlatform } from '@baas/test-platform';

export type GatewayProc = { name: string; url: string; pid: number; stop(): Promise<void> };
const here = (file: string) => fileURLToPath(new URL(file, import.meta.url));

/** CPU time (user + system) of one process, ms, from /proc/<pid>/stat (Linux; 10 ms ticks). */
export function processCpuMs(pid: number): number {
  const f = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]!.split(' ');
  return ((Number(f[11]) + Number(f[12])) * 1000) / 100;
}

function firstJsonLine<T>(child: ChildProcess, what: string): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    child.once('exit', (code) => reject(new Error(`${what} exited with ${code}`)));
    createInterface({ input: child.stdout! }).once('line', (line) => resolve(JSON.parse(line) as T));
  });
}

const stopper = (child: ChildProcess) => () =>
  new Promise<void>((resolve) => {
    if (child.exitCode !== null) return resolve();
    const kill = setTimeout(() => child.kill('SIGKILL'), 10_000);
    child.once('exit', () => (clearTimeout(kill), resolve()));
    child.kill('SIGTERM');
  });

export async function setUp(opts: { only: string[]; cpuProfDir?: string }) {
  const db = await createTestDatabase();
  const ids = { tenant: randomUUID(), customer: randomUUID(), account: randomUUID() };
  const client = new pg.Client({ connectionString: db.url });
  await client.connect();
  await client.query(`insert into identity.tenant (id, slug, name) values ($1, 'bench', 'Bench')`, [ids.tenant]);
  await client.query(`insert into identity.customer (id, tenant_id, kind, display_name) values ($1, $2, 'PERSON', 'Bench Customer')`, [ids.customer, ids.tenant]);
  await client.query(
    `insert into accounts.account (id, tenant_id, customer_id, currency, branch, number, check_digit) values ($1, $2, $3, 'BRL', '0001', '424242', '1')`,
    [ids.account, ids.tenant, ids.customer],
  );
  await client.end();
  // The two subgraphs the queries reach run apart; the in-process gateway startPlatform makes is unused.
  const platform = await startPlatform({
    databaseUrl: db.url,
    processes: ['identity', 'accounts'],
    gatewayEnv: { HEALTH_CHECK_INTERVAL_MS: '60000' },
    env: { LEDGER_OUTBOX_RELAY: 'true' },
  });
  const proxy = spawn(process.execPath, ['--import', 'tsx', here('./gateways-proxy.ts')], {
    env: { ...process.env, SUBGRAPHS: JSON.stringify(platform.subgraphUrls) },
    stdio: ['ignore', 'pipe', 'inherit', 'ipc'],
  });
  const proxied = await firstJsonLine<Record<string, string>>(proxy, 'proxy');
  const subgraphCalls = () =>
    new Promise<number>((resolve) => {
      proxy.once('message', (m) => resolve(Object.values(m as Record<string, number>).reduce((a, b) => a + b, 0)));
      proxy.send('count');
    });
  // One supergraph for all three: the routing URLs rewritten to the proxy.
  let sdl = readFileSync(here('../schema/supergraph.graphql'), 'utf8');
  for (const [name, url] of Object.entries(proxied)) sdl = sdl.replace(new RegExp(`(join__graph\\(name: "${name}", url: ")[^"]*"`), `$1${url}"`);
  const supergraphPath = join(mkdtempSync(join(tmpdir(), 'gateways-')), 'supergraph.graphql');
  writeFileSync(supergraphPath, sdl);

  const gateways: GatewayProc[] = [];
  const startJson = async (name: string, file: string) => {
    const child = spawn(process.execPath, ['--import', 'tsx', here(file)], { env: { ...process.env, SUPERGRAPH_PATH: supergraphPath }, stdio: ['ignore', 'pipe', 'inherit'] });
    const { url } = await firstJsonLine<{ url: string }>(child, name);
    gateways.push({ name, url: url.endsWith('/graphql') ? url : `${url.replace(/\/$/, '')}/graphql`, pid: child.pid!, stop: stopper(child) });
  };
  if (opts.only.includes('ours')) {
    // Ours, as startPlatform configures it (JWT check, Redis rate limits, query limits on), with the
    // rate-limit ceiling raised so that it never refuses (still counted in Redis on every request).
    const port = await freePort();
    const identityPort = new URL(platform.subgraphUrls.identity!).port;
    const env = {
      ...process.env,
      NODE_ENV: 'test',
      LOG_LEVEL: 'silent',
      PORT: String(port),
      SUPERGRAPH_PATH: supergraphPath,
      SUBGRAPH_URLS: Object.entries(proxied).map(([n, u]) => `${n}=${u}`).join(','),
      INTERNAL_IDENTITY_SECRET: platform.internalSecret,
      JWKS_URL: `http://127.0.0.1:${identityPort}/.well-known/jwks.json`,
      JWKS_COOLDOWN_MS: '0',
      RATE_LIMIT_PREFIX: `bench-${randomUUID()}`,
      RATE_LIMIT_MAX: '100000000',
      HEALTH_CHECK_INTERVAL_MS: '2000',
    };
    const prof = opts.cpuProfDir ? ['--cpu-prof', '--cpu-prof-dir', opts.cpuProfDir] : [];
    const child = spawn(process.execPath, [...prof, '--import', 'tsx', here('../gateway/src/main.ts')], { env, stdio: ['ignore', 'ignore', 'inherit'] });
    for (let i = 0; ; i++) {
      const up = await fetch(`http://127.0.0.1:${port}/healthz`).then((r) => r.ok, () => false);
      if (up) break;
      if (child.exitCode !== null || i > 600) throw new Error('our gateway did not start');
      await new Promise((r) => setTimeout(r, 100));
    }
    gateways.push({ name: 'ours', url: `http://127.0.0.1:${port}/graphql`, pid: child.pid!, stop: stopper(child) });
  }
  if (opts.only.includes('apollo')) await startJson('apollo', './gateways-serve-apollo.ts');
  if (opts.only.includes('hive')) await startJson('hive', './gateways-serve-hive.ts');

  const identity = { subject: ids.customer, kind: 'customer' as const, tenantId: ids.tenant, scopes: [] };
  return {
    gateways,
    ids,
    identity,
    internalSecret: platform.internalSecret,
    token: await platform.mintToken(identity, 3600),
    subgraphCalls,
    async stop() {
      for (const g of gateways) await g.stop();
      await stopper(proxy)();
      await platform.stop();
      await db.drop();
    },
  };
}
