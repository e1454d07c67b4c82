// npm run bench:transfers — end-to-end transfers (the accounts subgraph's `transfer` saga: hold in
// the ledger, risk check, limit reservation, post) through the gateway, with EVERY subgraph its own
// process (as deployed) and the ledger relaying its events from a process of its own (as npm start
// runs it; BENCH_LEDGER_RELAY=in-process: inside the ledger, the baseline). In one run:
//   (a) closed loop, N clients, S seconds, through the gateway: transfers/s, p50/p99, CPU ms per
//       transfer per process (the gateway runs in the harness process: 'platform');
//   (b) open loop at a fixed rate (default 100/s) for S seconds through the gateway: p50/p99/max,
//       latency from each request's scheduled time (queueing shows);
//   (c) baselines: the same closed loop straight to the accounts subgraph with the gateway's signed
//       identity header, and the bare ledger createTransfers, one transfer per request.
// Each client moves 1 minor unit from its own customer's account to the next client's (all funded).
//   npm run bench:transfers -- [rate] [seconds] [clients]
// BENCH_TRANSFERS_ENV='{"NAME":"value"}': extra platform variables (e.g. ACCOUNTS_RISK_VERDICT_MEMO=false, the
// configuration before). BENCH_TRANSFERS_CPU_PROF=<dir>: CPU profiles of the harness (node --cpu-prof) and of every subgraph
// process (TEST_PLATFORM_CPU_PROF), written when the platform stops.
import { spawn, type ChildProcess } from 'node:child_process';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { signIdentityAssertion, type Identity } from '@baas/auth';
import { uuidv7 } from '@baas/db';
import { platformSubgraphs } from '@baas/test-platform';
import { startRiskWorld, type RiskWorld } from '../e2e/risk/risk-world';
import { createLedgerClient, written } from '../subgraphs/cards/src/clients/ledger/client';
import { BENCH_LEDGER_CODES } from './cards-setup';
import { processTreeCpu } from './payments-setup';

type Fixture = {
  gatewayUrl: string;
  accountsUrl: string;
  secret: string;
  payers: { accountId: string; token: string; identity: Identity }[];
  ledger: { url: string; accounts: string[] };
};
const MARK = 'bench-transfers-fixture ';
const FUND = 1_000_000_000n;

async function serve(): Promise<void> {
  const extra = JSON.parse(process.env.BENCH_TRANSFERS_ENV ?? '{}') as Record<string, string>;
  // The ledger relay as deployed (its own process); BENCH_LEDGER_RELAY=in-process: inside the ledger, the baseline.
  const world = await startRiskWorld({ env: { LEDGER_OUTBOX_RELAY: 'true', ...extra }, processes: platformSubgraphs(), ledgerRelayProcess: process.env.BENCH_LEDGER_RELAY !== 'in-process' });
  let stopping: Promise<void> | undefined;
  const stop = () => (stopping ??= world.stop().catch((e: unknown) => console.error('stop:', e)).then(() => process.exit(0)));
  for (const s of ['SIGTERM', 'SIGINT'] as const) process.on(s, () => void stop());
  process.on('disconnect', () => void stop());
  try {
    console.log(MARK + JSON.stringify(await fixture(world, Number(process.env.BENCH_TRANSFERS_CLIENTS ?? 16))));
  } catch (error) {
    console.error(error);
    await world.stop().catch(() => undefined);
    process.exit(1);
  }
}

async function fixture(world: RiskWorld, n: number): Promise<Fixture> {
  const tenant = await world.newTenant();
  const payers = [];
  for (let i = 0; i < n; i++) {
    const customer = await world.newCustomer(tenant);
    const account = await world.openAccount(customer, FUND);
    payers.push({ accountId: account.id, token: await world.platform.mintToken(customer.identity, 3600), identity: customer.identity });
  }
  const url = world.platform.subgraphUrls.ledger!;
  const ledger = createLedgerClient({ url, secret: world.platform.internalSecret });
  const source = uuidv7();
  const accounts = Array.from({ length: n }, () => uuidv7());
  const acct = (id: string, code: number, flags: 'DEBITS_MUST_NOT_EXCEED_CREDITS'[] = []) => ({ id, tenantId: null, customerId: null, currency: 'BRL', code, flags, metadata: { purpose: 'bench:transfers baseline' } });
  const made = await ledger.createAccounts([acct(source, BENCH_LEDGER_CODES.SOURCE), ...accounts.map((id) => acct(id, BENCH_LEDGER_CODES.PAYER, ['DEBITS_MUST_NOT_EXCEED_CREDITS']))]);
  const funded = await ledger.createTransfers(accounts.map((id) => ({ id: uuidv7(), debitAccountId: source, creditAccountId: id, amount: FUND, currency: 'BRL', code: BENCH_LEDGER_CODES.FUNDING })));
  if ([...made, ...funded].some((w) => !written(w))) throw new Error('the ledger refused the baseline fixture');
  return { gatewayUrl: world.platform.gatewayUrl, accountsUrl: world.platform.subgraphUrls.accounts!, secret: world.platform.internalSecret, payers, ledger: { url, accounts } };
}

async function start(clients: number): Promise<{ fx: Fixture; child: ChildProcess }> {
  const dir = process.env.BENCH_TRANSFERS_CPU_PROF;
  const prof = dir ? ['--cpu-prof', '--cpu-prof-dir', dir] : [];
  const child = spawn(process.execPath, [...prof, '--import', 'tsx', fileURLToPath(import.meta.url), '--serve-transfers'], {
    stdio: ['ignore', 'pipe', 'inherit', 'ipc'],
    env: { ...process.env, BENCH_TRANSFERS_CLIENTS: String(clients), ...(dir ? { TEST_PLATFORM_CPU_PROF: dir } : {}) },
  });
  const fx = await new Promise<Fixture>((resolve, reject) => {
    child.once('exit', (code) => reject(new Error(`platform exited with ${code}`)));
    createInterface({ input: child.stdout! }).on('line', (line) => {
      if (line.startsWith(MARK)) resolve(JSON.parse(line.slice(MARK.length)) as Fixture);
      else if (!/^\{"level":"(trace|debug|info)"/.test(line)) console.error(`[platform] ${line}`);
    });
  });
  return { fx, child };
}

type Send = (client: number) => Promise<string | null>; // null: done; else the error
type Result = { name: string; done: number; errors: Map<string, number>; perSec: number; p50: number; p99: number; max: number; cpu: Map<string, number> };
/** CPU ms of the stores' processes (not under the platform's tree), by command name, and of the whole machine (/proc/stat). */
async function storesCpu(): Promise<Map<string, number>> {
  const { readFile, readdir } = await import('node:fs/promises');
  const by = new Map<string, number>();
  for (const entry of await readdir('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    const text = await readFile(`/proc/${entry}/stat`, 'utf8').catch(() => null);
    if (!text) continue;
    const comm = text.slice(text.indexOf('(') + 1, text.lastIndexOf(')'));
    const name = /^postgres/.test(comm) ? 'postgres' : /^java/.test(comm) ? 'neo4j (java)' : /^redis/.test(comm) ? 'redis' : /^nats/.test(comm) ? 'nats' : null;
    if (!name) continue;
    const f = text.slice(text.lastIndexOf(') ') + 2).split(' ');
    by.set(name, (by.get(name) ?? 0) + ((Number(f[11]) + Number(f[12])) * 1000) / 100);
  }
  const cpu = (await readFile('/proc/stat', 'utf8')).split('\n')[0]!.trim().split(/\s+/).slice(1).map(Number);
  by.set('machine, all (busy)', ((cpu[0]! + cpu[1]! + cpu[2]! + cpu[5]! + cpu[6]! + cpu[7]!) * 1000) / 100);
  return by;
}
const pct = (s: number[], p: number) => s[Math.min(s.length - 1, Math.max(0, Math.ceil((p / 100) * s.length) - 1))] ?? 0;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function measure(name: string, pid: number, run: (record: (ms: number, err: string | null) => void) => Promise<void>): Promise<Result> {
  const lat: number[] = [];
  const errors = new Map<string, number>();
  const before = await processTreeCpu(pid);
  const stores0 = await storesCpu();
  const self0 = process.cpuUsage();
  const t0 = performance.now();
  await run((ms, err) => (err ? errors.set(err, (errors.get(err) ?? 0) + 1) : lat.push(ms)));
  const elapsed = performance.now() - t0;
  await sleep(1000); // the relay and read-model updates a transfer set off
  const after = await processTreeCpu(pid);
  for (const [k, v] of await storesCpu()) after.set(k, v - (stores0.get(k) ?? 0));
  const self = process.cpuUsage(self0);
  const cpu = new Map<string, number>();
  for (const [k, v] of after) cpu.set(k === 'platform' ? 'gateway+harness' : k, (v - (before.get(k) ?? 0)) / Math.max(1, lat.length)); // stores: already a difference
  cpu.set('load generator', (self.user + self.system) / 1000 / Math.max(1, lat.length));
  lat.sort((a, b) => a - b);
  return { name, done: lat.length, errors, perSec: (lat.length * 1000) / elapsed, p50: pct(lat, 50), p99: pct(lat, 99), max: lat.at(-1) ?? 0, cpu };
}

async function closedLoop(name: string, pid: number, clients: number, seconds: number, send: Send): Promise<Result> {
  return measure(name, pid, async (record) => {
    const end = performance.now() + seconds * 1000;
    await Promise.all(
      Array.from({ length: clients }, async (_, c) => {
        while (performance.now() < end) {
          const t = performance.now();
          const err = await send(c).catch((e: unknown) => String(e));
          record(performance.now() - t, err);
        }
      }),
    );
  });
}

async function openLoop(name: string, pid: number, rate: number, seconds: number, clients: number, send: Send): Promise<Result> {
  return measure(name, pid, async (record) => {
    const total = Math.round(rate * seconds);
    const t0 = performance.now();
    const inflight: Promise<void>[] = [];
    for (let i = 0; i < total; i++) {
      const due = t0 + (i * 1000) / rate;
      const wait = due - performance.now();
      if (wait > 0) await sleep(wait);
      inflight.push(send(i % clients).catch((e: unknown) => String(e)).then((err) => record(performance.now() - due, err)));
    }
    await Promise.all(inflight);
  });
}

async function main(): Promise<void> {
  const RATE = Number(process.argv[2] ?? 100);
  const SECONDS = Number(process.argv[3] ?? 20);
  const CLIENTS = Number(process.argv[4] ?? 16);
  const { fx, child } = await start(CLIENTS);
  const pid = child.pid!;
  try {
    const n = fx.payers.length;
    const assertions = await Promise.all(fx.payers.map((p) => signIdentityAssertion(p.identity, fx.secret)));
    const TRANSFER = 'mutation T($input: AccountTransferInput!) { transfer(input: $input) { id status failureCode } }';
    const via = (url: string, header: (c: number) => Record<string, string>): Send => async (c) => {
      const input = { id: uuidv7(), fromAccountId: fx.payers[c % n]!.accountId, toAccountId: fx.payers[(c + 1) % n]!.accountId, amount: '1' };
      const res = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json', ...header(c % n) }, body: JSON.stringify({ query: TRANSFER, variables: { input } }) });
      const body = (await res.json()) as { data?: { transfer?: { status: string; failureCode?: string } }; errors?: { extensions?: { code?: string }; message: string }[] };
      if (body.errors) return `error ${body.errors[0]!.extensions?.code ?? body.errors[0]!.message}`;
      const t = body.data?.transfer;
      return t?.status === 'POSTED' ? null : `${t?.status} ${t?.failureCode ?? ''}`;
    };
    const gateway = via(fx.gatewayUrl, (c) => ({ authorization: `Bearer ${fx.payers[c]!.token}` }));
    const direct = via(fx.accountsUrl, (c) => ({ 'x-baas-identity': assertions[c]! }));
    const ledger = createLedgerClient({ url: fx.ledger.url, secret: fx.secret });
    const bare: Send = async (c) => {
      const a = fx.ledger.accounts;
      const [w] = await ledger.createTransfers([{ id: uuidv7(), debitAccountId: a[c % a.length]!, creditAccountId: a[(c + 1) % a.length]!, amount: 1n, currency: 'BRL', code: BENCH_LEDGER_CODES.FUNDING }]);
      return w && written(w) ? null : `ledger ${w?.error}`;
    };
    for (let i = 0; i < 3; i++) await Promise.all(Array.from({ length: n }, (_, c) => Promise.all([gateway(c), direct(c), bare(c)]))); // warm-up

    const results = [
      await closedLoop(`(a) gateway, closed loop, ${CLIENTS} clients`, pid, CLIENTS, SECONDS, gateway),
      await closedLoop(`(c) accounts direct, closed loop, ${CLIENTS} clients`, pid, CLIENTS, SECONDS, direct),
      await closedLoop(`(c) bare ledger createTransfers, ${CLIENTS} clients`, pid, CLIENTS, Math.min(SECONDS, 10), bare),
      await openLoop(`(b) gateway, open loop ${RATE}/s`, pid, RATE, SECONDS, CLIENTS, gateway),
    ];
    console.log(`\nnode ${process.version}, ${SECONDS} s per scenario, every subgraph its own process, ledger relay on`);
    console.log(`| scenario | done | errors | per s | p50 ms | p99 ms | max ms |\n|---|---:|---:|---:|---:|---:|---:|`);
    for (const r of results) {
      const errs = [...r.errors].map(([k, v]) => `${v}× ${k}`).join('; ') || '0';
      console.log(`| ${r.name} | ${r.done} | ${errs} | ${r.perSec.toFixed(1)} | ${r.p50.toFixed(1)} | ${r.p99.toFixed(1)} | ${r.max.toFixed(1)} |`);
    }
    const names = [...new Set(results.flatMap((r) => [...r.cpu.keys()]))];
    console.log(`\nCPU ms per completed request, by process\n| process | ${results.map((r) => r.name.slice(0, 3)).join(' | ')} |\n|---|${results.map(() => '---:').join('|')}|`);
    for (const k of names) console.log(`| ${k} | ${results.map((r) => (r.cpu.get(k) ?? 0).toFixed(2)).join(' | ')} |`);
    const ours = new Set(['load generator', 'postgres', 'neo4j (java)', 'redis', 'nats', 'machine, all (busy)']);
    console.log(`| total (platform's node processes) | ${results.map((r) => [...r.cpu].filter(([k]) => !ours.has(k)).reduce((a, [, v]) => a + v, 0).toFixed(2)).join(' | ')} |`);
  } finally {
    child.kill('SIGTERM');
    await new Promise((r) => child.once('exit', r));
  }
}

if (process.argv.includes('--serve-transfers')) {
  serve().catch((error: unknown) => {
    console.error(error);
    process.exit(1);
  });
} else {
  main().catch((error: unknown) => {
    console.error(error);
    process.exitCode = 1;
  });
}
