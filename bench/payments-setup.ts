// bench:payments' platform and fixture, in a child process (as bench/serve-platform.ts: the load
// generator runs in another process). The platform is e2e/risk/risk-world.ts's (an isolated
// database, its own Redis prefix and sandbox bank, Neo4j and Redis cleaned on stop) with the
// ledger relaying its events (as the other benches start it) and PIX limit increases in force at
// once; the fixture is made through the gateway as a fintech would: two tenants, funded payers
// with high PIX limits in tenant A, the transfers' payee in tenant A, a receiver with an EVP key
// in tenant B. Prints the fixture as one JSON line; SIGTERM tears everything down.
import { spawn, type ChildProcess } from 'node:child_process';
import { subscribe } from 'node:diagnostics_channel';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { uuidv7 } from '@baas/db';
import { PixLimitsDocument, RegisterPixKeyDocument, SetPixLimitDocument } from '@baas/sdk';
import { startRiskWorld, type RiskWorld } from '../e2e/risk/risk-world';

export type PaymentsFixture = {
  gatewayUrl: string;
  operatorToken: string;
  /** The platform's environment on top of the test platform's. */
  env: Record<string, string>;
  /** Minor units each payer's account was funded with. */
  funded: string;
  payers: { customerId: string; accountId: string; token: string }[];
  /** Tenant B's receiver: its account and EVP key. */
  receiver: { accountId: string; key: string };
  /** Tenant A's account the plain transfers pay (a transfer stays within a tenant). */
  sink: { accountId: string };
};

const FUND = 1_000_000_000n;
const FIXTURE = 'bench-payments-fixture ';
const PIX_LIMIT = '100000000000';

async function serve(): Promise<void> {
  const env = {
    LEDGER_OUTBOX_RELAY: 'true',
    PIX_LIMIT_INCREASE_DELAY_SECONDS: '0',
    ...(JSON.parse(process.env.BENCH_PAYMENTS_ENV ?? '{}') as Record<string, string>),
  };
  const world = await startRiskWorld({ env });
  const traced = process.env.BENCH_PAYMENTS_TRACE ? traceHttp(world) : null;
  let stopping: Promise<void> | undefined;
  const stop = () =>
    (stopping ??= world
      .stop()
      .finally(() => traced?.())
      .catch((e: unknown) => console.error('stop:', e))
      .then(() => process.exit(0)));
  process.on('SIGTERM', () => void stop());
  process.on('SIGINT', () => void stop());
  // The load generator gone (crashed, killed) leaves nothing behind either.
  process.on('disconnect', () => void stop());
  process.stdout.on('error', () => void stop());
  try {
    console.log(FIXTURE + JSON.stringify(await makeFixture(world, env)));
  } catch (error) {
    console.error(error);
    await world.stop().catch(() => undefined);
    process.exit(1);
  }
}

async function makeFixture(world: RiskWorld, env: Record<string, string>): Promise<PaymentsFixture> {
  const [ta, tb] = [await world.newTenant(), await world.newTenant()];
  const payers = await Promise.all(
    Array.from({ length: Number(process.env.BENCH_PAYERS ?? 8) }, async () => {
      const customer = await world.newCustomer(ta);
      const account = await world.openAccount(customer, FUND);
      for (const period of ['DAYTIME', 'NIGHTTIME']) await world.ok(SetPixLimitDocument, { input: { period, amount: PIX_LIMIT } }, customer.identity);
      const limits = (await world.ok(PixLimitsDocument, {}, customer.identity)).pixLimits;
      if (limits.daytime.minorUnits !== PIX_LIMIT || limits.nighttime.minorUnits !== PIX_LIMIT) throw new Error(`PIX limits not in force: ${JSON.stringify(limits)}`);
      return { customerId: customer.id, accountId: account.id, token: await world.platform.mintToken(customer.identity, 3600) };
    }),
  );
  const receiver = await world.newCustomer(tb);
  const receiverAccount = await world.openAccount(receiver);
  const key = (await world.ok(RegisterPixKeyDocument, { input: { id: uuidv7(), accountId: receiverAccount.id, keyType: 'EVP' } }, receiver.identity)).registerPixKey;
  if (key.status !== 'ACTIVE') throw new Error(`EVP key ${key.status}`);
  const sink = await world.openAccount(await world.newCustomer(ta));
  return {
    gatewayUrl: world.platform.gatewayUrl,
    operatorToken: await world.platform.mintToken(world.operator, 3600),
    env,
    funded: FUND.toString(),
    payers,
    receiver: { accountId: receiverAccount.id, key: key.key },
    sink: { accountId: sink.id },
  };
}

/**
 * BENCH_PAYMENTS_TRACE=1: every HTTP call between the platform's services (the gateway's to the
 * subgraphs, theirs to each other) timed by node's diagnostics channels, request start to response
 * headers, and summed up per target on stderr at the end (where the synchronous path waits).
 */
function traceHttp(world: RiskWorld): () => void {
  const started = new WeakMap<object, number>();
  const spans = new Map<string, number[]>();
  const names = () => new Map(Object.entries(world.platform.subgraphUrls).map(([name, url]) => [new URL(url).host, name]));
  let byHost = names();
  subscribe('http.client.request.start', (m) => started.set((m as { request: object }).request, performance.now()));
  subscribe('http.client.response.finish', (m) => {
    const { request } = m as { request: { getHeader(n: string): unknown } };
    const t0 = started.get(request);
    if (t0 === undefined) return;
    const host = String(request.getHeader('host'));
    const name = byHost.get(host) ?? (byHost = names()).get(host) ?? host;
    const list = spans.get(name) ?? [];
    list.push(performance.now() - t0);
    spans.set(name, list);
  });
  return () => {
    for (const [name, list] of spans) {
      list.sort((a, b) => a - b);
      const at = (p: number) => list[Math.min(list.length - 1, Math.ceil(p * list.length) - 1)]!.toFixed(1);
      console.error(`[trace] http to ${name.padEnd(10)} ${String(list.length).padStart(6)} calls  p50 ${at(0.5)} ms  p99 ${at(0.99)} ms`);
    }
  };
}

/** Starts the child; resolves with the fixture once it printed it. `env`: the platform's extra variables (default: the JSON in BENCH_PAYMENTS_ENV). */
export async function servePayments(opts: { payers: number; env?: Record<string, string> }): Promise<{ fixture: PaymentsFixture; child: ChildProcess }> {
  // BENCH_PAYMENTS_CPU_PROF=<dir>: a CPU profile of the platform process (node --cpu-prof), written when it stops.
  const prof = process.env.BENCH_PAYMENTS_CPU_PROF ? ['--cpu-prof', '--cpu-prof-dir', process.env.BENCH_PAYMENTS_CPU_PROF] : [];
  const child = spawn(process.execPath, [...prof, '--import', 'tsx', fileURLToPath(import.meta.url), '--serve'], {
    stdio: ['ignore', 'pipe', 'inherit', 'ipc'],
    env: { ...process.env, BENCH_PAYERS: String(opts.payers), BENCH_PAYMENTS_ENV: JSON.stringify(opts.env ?? (JSON.parse(process.env.BENCH_PAYMENTS_ENV ?? '{}') as Record<string, string>)) },
  });
  const fixture = await new Promise<PaymentsFixture>((resolve, reject) => {
    child.once('exit', (code) => reject(new Error(`platform exited with ${code}`)));
    createInterface({ input: child.stdout! }).on('line', (line) => {
      if (line.startsWith(FIXTURE)) resolve(JSON.parse(line.slice(FIXTURE.length)) as PaymentsFixture);
      // The sandbox bank logs every payment at info on stdout: only warnings and errors are passed on.
      else if (!/^\{"level":"(trace|debug|info)"/.test(line)) console.error(`[platform] ${line}`);
    });
  });
  return { fixture, child };
}

/** The platform process's CPU time (user + system), ms, from /proc (Linux). */
/**
 * CPU ms of a process and every process under it now (the platform's subgraph processes, when it runs
 * them apart), by service: a subgraph process (subgraphs/<name>/src/main.ts) under its name, the rest
 * under 'platform'. processTreeCpuMs: their sum.
 */
export async function processTreeCpu(pid: number): Promise<Map<string, number>> {
  const { readFile, readdir } = await import('node:fs/promises');
  const stats = new Map<number, { ppid: number; ms: number }>();
  for (const entry of await readdir('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    const text = await readFile(`/proc/${entry}/stat`, 'utf8').catch(() => null);
    if (!text) continue;
    const f = text.split(') ')[1]!.split(' ');
    stats.set(Number(entry), { ppid: Number(f[1]), ms: ((Number(f[11]) + Number(f[12])) * 1000) / 100 });
  }
  const byService = new Map<string, number>();
  const queue: [number, string][] = [[pid, 'platform']];
  while (queue.length) {
    const [p, parentLabel] = queue.pop()!;
    const cmdline = await readFile(`/proc/${p}/cmdline`, 'utf8').catch(() => '');
    // subgraphs/<name>/src/main.ts, or a worker process's own entry (workers/relay-main.ts: ledger-relay).
    const m = /subgraphs\/([a-z]+)\/src\/(?:main|workers\/([a-z]+)-main)\.ts/.exec(cmdline);
    const label = m ? (m[2] ? `${m[1]}-${m[2]}` : m[1]!) : parentLabel;
    byService.set(label, (byService.get(label) ?? 0) + (stats.get(p)?.ms ?? 0));
    for (const [child, s] of stats) if (s.ppid === p) queue.push([child, label]);
  }
  return byService;
}

export async function processTreeCpuMs(pid: number): Promise<number> {
  return [...(await processTreeCpu(pid)).values()].reduce((a, b) => a + b, 0);
}

export async function processCpuMs(pid: number): Promise<number> {
  const { readFile } = await import('node:fs/promises');
  const stat = (await readFile(`/proc/${pid}/stat`, 'utf8')).split(') ')[1]!.split(' ');
  return ((Number(stat[11]) + Number(stat[12])) * 1000) / 100;
}

if (process.argv.includes('--serve')) {
  serve().catch((error: unknown) => {
    console.error(error);
    process.exit(1);
  });
}
