// npm run bench:risk — real-time fraud scoring at a fixed arrival rate (open loop: requests leave on
// schedule whether or not earlier ones finished; latency counted from the scheduled time), over a
// seeded graph of a few hundred customers with planted rings, mules, cycles and confirmed fraudsters:
//   1. scoreTransaction straight to the risk subgraph, as the internal service `accounts` (it is
//      @inaccessible: clients never reach it through the gateway);
//   2. the same use case in this process (no HTTP), with the time of each stage; and again with the
//      fraud model on one onnxruntime thread and no batch window (what bench/README.md recommends);
//   3. the baseline: the same 22 features with neither the model nor the graph-feature cache (the
//      velocity script in Redis, the graph features computed by the Cypher patterns of
//      store/graph-patterns*.ts for the tenant on every call, the tenant's rules; no ONNX, no
//      assessment write), in this process;
//   4. a transfer through the gateway (it scores at request time), then the same on a platform with
//      RISK_URL=off (the built-in rules): what scoring adds to a client's transfer;
//   5. the fraud model alone on CPU, per batch size.
//   npm run bench:risk -- [rate per second] [seconds] [transfer rate per second, default the rate]
import { spawn, type ChildProcess } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import neo4j, { type Driver } from 'neo4j-driver';
import { Redis } from 'ioredis';
import pg from 'pg';
import { signIdentityAssertion, type Identity } from '@baas/auth';
import { requestFingerprint } from '@baas/idempotency';
import { createLogger } from '@baas/observability';
import { createTestDatabase } from '@baas/testing';
import { startPlatform } from '@baas/test-platform';
import { buildFraudFeatures } from '../subgraphs/risk/src/domain/fraud-features';
import { capFeature, NO_FRAUD_DISTANCE } from '../subgraphs/risk/src/domain/graph-features';
import type { Identifier } from '../subgraphs/risk/src/domain/graph-events';
import { decide } from '../subgraphs/risk/src/domain/risk-decision';
import { createGraphFeatureCache } from '../subgraphs/risk/src/store/graph-feature-cache';
import { createIdentityPatterns } from '../subgraphs/risk/src/store/graph-patterns';
import { createDistancePatterns } from '../subgraphs/risk/src/store/graph-patterns-distance';
import { createFlowPatterns } from '../subgraphs/risk/src/store/graph-patterns-flow';
import { createGraphStore, type PaymentRecord } from '../subgraphs/risk/src/store/graph-store';
import { createRiskAssessmentStore } from '../subgraphs/risk/src/store/risk-assessment-store';
import { createTenantRiskSettingsStore } from '../subgraphs/risk/src/store/tenant-risk-settings-store';
import { createVelocityStore } from '../subgraphs/risk/src/store/velocity-store';
import { SCORE_FINGERPRINT_KIND, scoreTransaction, type ScoreTransactionDeps } from '../subgraphs/risk/src/use-cases/score-transaction';
import { loadFraudModel } from '../subgraphs/risk/src/workers/fraud-model';
import { runGraphScan } from '../subgraphs/risk/src/workers/graph-scan';
import { must, post, type Served } from './served';

const NEO4J_URL = process.env.NEO4J_URL ?? 'bolt://127.0.0.1:7687';
const REDIS_URL = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';
const CUSTOMERS = 300;

/** Child mode: the platform (as bench/serve-platform.ts) with BENCH_RISK_ENV's variables on top. */
async function serve(): Promise<void> {
  const db = await createTestDatabase();
  const ids = { tenant: randomUUID(), customer: randomUUID(), account: randomUUID() };
  const client = new pg.Client({ connectionString: db.url });
  await client.connect();
  await client.query(`insert into identity.tenant (id, slug, name) values ($1, 'bench', 'Bench')`, [ids.tenant]);
  await client.query(`insert into identity.customer (id, tenant_id, kind, display_name) values ($1, $2, 'PERSON', 'Bench Customer')`, [ids.customer, ids.tenant]);
  await client.end();
  const env = { LEDGER_OUTBOX_RELAY: 'true', INFERENCE_PROVIDER: 'cpu', ...(JSON.parse(process.env.BENCH_RISK_ENV ?? '{}') as Record<string, string>) };
  const platform = await startPlatform({ databaseUrl: db.url, gatewayEnv: { RATE_LIMIT_MAX: '100000000' }, env });
  const identity = { subject: ids.customer, kind: 'customer' as const, tenantId: ids.tenant, scopes: [] };
  const out: Served = {
    gatewayUrl: platform.gatewayUrl,
    subgraphUrls: platform.subgraphUrls,
    internalSecret: platform.internalSecret,
    token: await platform.mintToken(identity, 3600),
    operatorToken: await platform.mintToken({ subject: 'bench-operator', kind: 'operator', tenantId: null, scopes: [] }, 3600),
    identity,
    ids,
  };
  console.log(JSON.stringify(out));
  const stop = async () => {
    await platform.stop();
    await db.drop();
    process.exit(0);
  };
  process.on('SIGTERM', () => void stop());
}

async function startServed(env: Record<string, string>): Promise<{ served: Served; child: ChildProcess; stop(): Promise<void> }> {
  const child = spawn(process.execPath, ['--import', 'tsx', fileURLToPath(import.meta.url), '--serve'], {
    stdio: ['ignore', 'pipe', 'inherit'],
    env: { ...process.env, BENCH_RISK_ENV: JSON.stringify(env) },
  });
  const served = await new Promise<Served>((resolve, reject) => {
    child.once('exit', (code) => reject(new Error(`platform exited with ${code}`)));
    createInterface({ input: child.stdout! }).once('line', (line) => resolve(JSON.parse(line) as Served));
  });
  const stop = () => new Promise<void>((resolve) => (child.exitCode !== null ? resolve() : (child.once('exit', () => resolve()), child.kill('SIGTERM'))));
  return { served, child, stop };
}

type Result = { name: string; sent: number; errors: number; p50: number; p95: number; p99: number; max: number; cpu: number; machine: number };
/** CPU time of a process (ms; utime + stime at 100 ticks/s), and the machine's busy time on all cores (ms). */
const processCpuMs = (pid: number) => {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return (Number(fields[11]) + Number(fields[12])) * 10;
};
const ownCpuMs = () => (process.cpuUsage().user + process.cpuUsage().system) / 1000;
const machineBusyMs = () => {
  const ticks = readFileSync('/proc/stat', 'utf8').split('\n')[0]!.trim().split(/\s+/).slice(1).map(Number);
  return (ticks.reduce((a, b) => a + b, 0) - ticks[3]! - ticks[4]!) * 10;
};
const pct = (sorted: number[], p: number) => sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))] ?? 0;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/**
 * Open-loop load: one request every 1/rate s for `seconds`; latency from the scheduled send time. A
 * request due while `maxInflight` are still running is not sent (an error: the scenario saturated),
 * and what has not answered 30 s after the last send is an error too, so a saturated run ends.
 */
async function atFixedRate(name: string, rate: number, seconds: number, send: () => Promise<boolean>, cpuOf: () => number, maxInflight = 500): Promise<Result> {
  const total = Math.round(rate * seconds);
  const [cpu0, machine0] = [cpuOf(), machineBusyMs()];
  const latencies: number[] = [];
  let errors = 0;
  let shed = 0;
  let inflight = 0;
  const start = performance.now();
  const pending: Promise<void>[] = [];
  for (let i = 0; i < total; i++) {
    const due = start + (i * 1000) / rate;
    const wait = due - performance.now();
    if (wait > 0) await sleep(wait);
    if (inflight >= maxInflight) {
      shed += 1;
      continue;
    }
    inflight += 1;
    pending.push(
      send()
        .catch(() => false)
        .then((ok) => {
          inflight -= 1;
          latencies.push(performance.now() - due);
          if (!ok) errors += 1;
        }),
    );
  }
  await Promise.race([Promise.all(pending), sleep(30_000)]);
  errors += shed + (total - shed - latencies.length); // not sent, or not answered in time
  const [cpu, machine] = [(cpuOf() - cpu0) / total, (machineBusyMs() - machine0) / total];
  latencies.sort((a, b) => a - b);
  return { name, sent: total, errors, p50: pct(latencies, 50), p95: pct(latencies, 95), p99: pct(latencies, 99), max: latencies.at(-1) ?? 0, cpu, machine };
}

type Person = { customer: string; account: string; device: string; ip: string };
const pick = <T>(xs: readonly T[]) => xs[Math.floor(Math.random() * xs.length)]!;
async function inPool<T>(items: readonly T[], width: number, each: (item: T) => Promise<unknown>): Promise<void> {
  let next = 0;
  await Promise.all(Array.from({ length: width }, async () => {
    while (next < items.length) await each(items[next++]!);
  }));
}

/**
 * The tenant's graph: CUSTOMERS customers with one account, a device and an IP each; 1,200 payments
 * between random pairs over 30 days; planted: a ring of 6 customers chained through shared devices
 * and IPs, 10 pairs sharing a device, 3 mules (5 unrelated payers in the last 12 h, 80 % forwarded to
 * an outside account), 4 payment cycles (3, 4, 5, 3 accounts), 2 confirmed fraudsters.
 */
async function seedGraph(driver: Driver, tenantId: string): Promise<{ people: Person[]; planted: string }> {
  const graph = createGraphStore(driver);
  const hex = () => randomUUID().replaceAll('-', '').slice(0, 16);
  const people: Person[] = Array.from({ length: CUSTOMERS }, (_, i) => ({ customer: randomUUID(), account: randomUUID(), device: `dev-${hex()}`, ip: `10.${(i >> 8) & 255}.${i & 255}.${7 + (i % 200)}` }));
  const idents = new Map<string, Identifier[]>(people.map((p) => [p.customer, [{ kind: 'DEVICE', value: p.device }, { kind: 'IP', value: p.ip }]]));
  const share = (a: Person, b: Person, kind: 'DEVICE' | 'IP') => idents.get(b.customer)!.push({ kind, value: kind === 'DEVICE' ? a.device : a.ip });
  for (let i = 1; i < 6; i++) share(people[i - 1]!, people[i]!, i % 2 ? 'DEVICE' : 'IP'); // ring 0..5
  for (let i = 0; i < 10; i++) share(people[10 + 2 * i]!, people[11 + 2 * i]!, 'DEVICE'); // pairs 10..29
  const now = Date.now();
  const day = 86_400_000;
  const payments: PaymentRecord[] = [];
  const pay = (from: string, to: string, amount: bigint, at: number) =>
    payments.push({ eventId: randomUUID(), transferId: randomUUID(), payerAccountId: from, payeeAccountId: to, tenantId, amount, currency: 'BRL', at: new Date(at) });
  for (let i = 0; i < 1200; i++) {
    const [a, b] = [pick(people), pick(people)];
    if (a !== b) pay(a.account, b.account, BigInt(1000 + Math.floor(Math.random() * 500_000)), now - Math.floor(Math.random() * 30 * day));
  }
  for (let m = 0; m < 3; m++) {
    const mule = people[40 + m]!;
    for (let k = 0; k < 5; k++) pay(people[50 + 5 * m + k]!.account, mule.account, 100_000n, now - 12 * 3_600_000 + k * 60_000);
    pay(mule.account, `ext-${randomUUID()}`, 400_000n, now - 3_600_000);
  }
  let c = 70;
  for (const len of [3, 4, 5, 3]) {
    const loop = people.slice(c, c + len);
    c += len;
    loop.forEach((p, i) => pay(p.account, loop[(i + 1) % len]!.account, 50_000n, now - 2 * day + i * 60_000));
  }
  await inPool(people, 16, (p) => graph.recordAccount({ accountId: p.account, customerId: p.customer, tenantId }));
  await inPool(people, 16, (p) => graph.recordIdentifiers({ tenantId, customerId: p.customer, identifiers: idents.get(p.customer)!, at: new Date(now - 5 * day) }));
  await inPool(payments, 16, (p) => graph.recordPayment(p));
  for (const p of [people[90]!, people[91]!]) await graph.markConfirmedFraud({ tenantId, customerId: p.customer });
  return { people, planted: `${CUSTOMERS} customers, ${payments.length} payments; planted: ring of 6, 10 shared-device pairs, 3 mules, cycles of 3/4/5/3, 2 fraudsters` };
}

async function main(): Promise<void> {
  const RATE = Number(process.argv[2] ?? 50);
  const SECONDS = Number(process.argv[3] ?? 20);
  const TRANSFER_RATE = Number(process.argv[4] ?? RATE);
  const prefix = `bench-risk-${randomUUID().slice(0, 8)}:`;
  const logger = createLogger({ service: 'bench-risk', level: 'silent' });
  const driver = neo4j.driver(NEO4J_URL);
  const redis = new Redis(REDIS_URL);
  // As the service loads it now (INFERENCE_THREADS 1, INFERENCE_BATCH_WINDOW_MS 0), and as it did before
  // this benchmark's first run (onnxruntime's per-core threads, a 2 ms window), side by side.
  const model = await loadFraudModel({ provider: 'cpu', intraOpNumThreads: 1, batchWindowMs: 0, logger });
  const tuned = await loadFraudModel({ provider: 'cpu', batchWindowMs: 2, logger });
  let platform = await startServed({ REDIS_PREFIX: prefix });
  const tenants = [platform.served.ids.tenant];
  try {
    const tenantId = platform.served.ids.tenant;
    const t0 = performance.now();
    const { people, planted } = await seedGraph(driver, tenantId);
    const seedMs = performance.now() - t0;
    const cache = createGraphFeatureCache(redis, { prefix: `${prefix}gf` });
    const t1 = performance.now();
    const scan = await runGraphScan({ driver, features: cache, raiseAlert: async () => undefined, logger }, { tenantIds: [tenantId] }, new Date());
    console.log(`graph: ${planted} (seeded in ${(seedMs / 1000).toFixed(1)} s); one scan ${(performance.now() - t1).toFixed(0)} ms: ${JSON.stringify(scan)}`);

    const movement = () => {
      const [p, q] = [pick(people), pick(people)];
      return { movementId: randomUUID(), tenantId, customerId: p.customer, rail: 'TRANSFER' as const, payerAccountId: p.account, payeeAccountId: q.account, amount: BigInt(1000 + Math.floor(Math.random() * 200_000)), currency: 'BRL', occurredAt: new Date(), deviceId: p.device, ip: p.ip };
    };
    const decisions: Record<string, Record<string, number>> = {};
    const count = (scenario: string, d: string) => ((decisions[scenario] ??= {})[d] = (decisions[scenario]![d] ?? 0) + 1);

    // 1. Direct to the risk subgraph, as accounts calls it.
    const service: Identity = { subject: 'accounts', kind: 'service', tenantId: null, scopes: ['risk:score'] };
    let assertion = await signIdentityAssertion(service, platform.served.internalSecret);
    const refresh = setInterval(() => void signIdentityAssertion(service, platform.served.internalSecret).then((a) => (assertion = a)), 20_000);
    const SCORE = 'mutation S($input: ScoreTransactionInput!) { scoreTransaction(input: $input) { id decision scoreBps reasons } }';
    const direct = async () => {
      const m = movement();
      const out = await post(platform.served.subgraphUrls.risk!, { 'x-baas-identity': assertion }, SCORE, { input: { ...m, amount: m.amount.toString(), occurredAt: m.occurredAt.toISOString() } });
      if (out.data?.scoreTransaction) count('direct', out.data.scoreTransaction.decision);
      return !out.errors && Boolean(out.data?.scoreTransaction);
    };

    // 2. The same use case in this process, each stage timed.
    const stages: Record<string, number[]> = {};
    const timed = <A extends unknown[], R>(stage: string, fn: (...a: A) => Promise<R>) => async (...a: A): Promise<R> => {
      const s = performance.now();
      try {
        return await fn(...a);
      } finally {
        (stages[stage] ??= []).push(performance.now() - s);
      }
    };
    const assessments = createRiskAssessmentStore(driver);
    const settings = createTenantRiskSettingsStore(driver, { cacheMs: 5_000 });
    const velocity = createVelocityStore(redis, { prefix: `${prefix}v` });
    const deps: ScoreTransactionDeps = {
      assessments: { findByMovement: timed('1 assessment lookup (Neo4j)', (t: string, id: string) => assessments.findByMovement(t, id)), insert: timed('6 assessment write (Neo4j)', (a: Parameters<typeof assessments.insert>[0]) => assessments.insert(a)) },
      velocity: { observe: timed('2 velocity script (Redis Lua)', (q: Parameters<typeof velocity.observe>[0]) => velocity.observe(q)) },
      graphFeatures: { read: timed('3 graph-feature cache (Redis)', (q: Parameters<typeof cache.read>[0]) => cache.read(q)) },
      settings: { get: timed('4 tenant settings (cached)', (t: string) => settings.get(t)) },
      model: { version: model.version, predictFraud: timed('5 model (ONNX, 1 thread, 0 ms window)', (row: Float32Array) => model.predictFraud(row)) },
    };
    const inProcess = async () => {
      const a = await timed('total', scoreTransaction)(deps, movement());
      count('in-process', a.decision);
      return true;
    };
    const tunedDeps: ScoreTransactionDeps = { assessments, velocity, graphFeatures: cache, settings, model: tuned };
    const inProcessTuned = async () => Boolean(await scoreTransaction(tunedDeps, movement()));

    // 3. The baseline: features without the model and without the cache.
    const identity = createIdentityPatterns(driver);
    const flow = createFlowPatterns(driver);
    const distance = createDistancePatterns(driver);
    const baseVelocity = createVelocityStore(redis, { prefix: `${prefix}bv` });
    const scope = { tenantIds: [tenantId] };
    const baseline = async () => {
      const m = movement();
      const now = new Date();
      const fingerprint = requestFingerprint(SCORE_FINGERPRINT_KIND, { customerId: m.customerId, rail: m.rail, payerAccountId: m.payerAccountId, payeeAccountId: m.payeeAccountId, amount: m.amount, currency: m.currency });
      const [observed, ids, mules, dist, s] = await Promise.all([
        baseVelocity.observe({ ...m, fingerprint, now, accountOpenedAt: null }),
        identity.identityFeatures(scope),
        flow.muleStats(scope, now),
        distance.fraudDistances(scope, now),
        settings.get(tenantId),
      ]);
      const muleScore = (id: string) => Math.max(0, ...mules.filter((x) => x.accountId === id).map((x) => x.score));
      const account = (id: string) => ({ fraudDistance: dist.accounts.get(id) ?? NO_FRAUD_DISTANCE, muleScore: muleScore(id) });
      const c = ids.customers.get(m.customerId);
      const graph = {
        customer: { sharedIdentifierDegree: capFeature(c?.sharedIdentifierDegree ?? 0), ringSize: capFeature(c?.ringSize ?? 1), fraudDistance: dist.customers.get(m.customerId) ?? NO_FRAUD_DISTANCE },
        payer: account(m.payerAccountId),
        payee: account(m.payeeAccountId),
      };
      const features = buildFraudFeatures({ amount: m.amount, rail: m.rail, occurredAt: m.occurredAt, now, velocity: observed.snapshot!, graph });
      count('baseline', decide({ scoreBps: 0, features, amount: m.amount, currency: m.currency, settings: s }).decision);
      return true;
    };

    // 4. Transfers through the gateway, risk scoring (this platform) and RISK_URL=off (the next).
    const transfers = async (served: Served, name: string) => {
      const gw = (q: string, v: unknown, token = served.token) => post(served.gatewayUrl, { authorization: `Bearer ${token}` }, q, v);
      const open = async () => {
        const id = randomUUID();
        must(await gw('mutation O($input: OpenAccountInput!) { openAccount(input: $input) { status } }', { input: { id, currency: 'BRL' } }), 'open');
        must(await gw('mutation F($input: FundSandboxAccountInput!) { fundSandboxAccount(input: $input) { status } }', { input: { id: randomUUID(), accountId: id, amount: '100000000000' } }, served.operatorToken), 'fund');
        return id;
      };
      const [a, b] = [await open(), await open()];
      let flip = 0;
      const failures: string[] = [];
      const move = async () => {
        const [from, to] = flip++ % 2 ? [a, b] : [b, a];
        const out = await gw('mutation T($input: AccountTransferInput!) { transfer(input: $input) { id status failureCode } }', { input: { id: randomUUID(), fromAccountId: from, toAccountId: to, amount: '1' } });
        const ok = !out.errors && out.data?.transfer.status === 'POSTED';
        if (!ok && failures.length < 3) failures.push(JSON.stringify(out.errors ?? out.data));
        return ok;
      };
      for (let i = 0; i < 30; i++) await move();
      const r = await atFixedRate(name, TRANSFER_RATE, SECONDS, move, () => processCpuMs(platform.child.pid!));
      if (failures.length) console.log(`${name}: first failures ${failures.join(' | ')}`);
      return r;
    };

    for (let i = 0; i < 50; i++) await direct(), await inProcess(), await inProcessTuned(), await baseline(); // warm-up
    for (const k of Object.keys(stages)) stages[k] = [];
    for (const k of Object.keys(decisions)) delete decisions[k];
    const results: Result[] = [];
    results.push(await atFixedRate('scoreTransaction: risk direct (HTTP)', RATE, SECONDS, direct, () => processCpuMs(platform.child.pid!)));
    results.push(await atFixedRate('scoreTransaction: in-process', RATE, SECONDS, inProcess, ownCpuMs));
    results.push(await atFixedRate('in-process, before: model on all cores, 2 ms window', RATE, SECONDS, inProcessTuned, ownCpuMs));
    results.push(await atFixedRate('baseline: Cypher features, no model/cache', RATE, SECONDS, baseline, ownCpuMs, 100));
    results.push(await transfers(platform.served, 'transfer: gateway, risk scoring'));
    clearInterval(refresh);
    await platform.stop();
    platform = await startServed({ REDIS_PREFIX: `${prefix}off:`, RISK_URL: 'off' });
    tenants.push(platform.served.ids.tenant);
    results.push(await transfers(platform.served, 'transfer: gateway, RISK_URL=off'));
    await platform.stop();

    // 5. The model alone: B rows in one run (B concurrent calls of one tick, window 0), and one lone call with the former 2 ms window.
    const bare = await loadFraudModel({ provider: 'cpu', maxBatchSize: 64, batchWindowMs: 0, logger });
    const row = () => Float32Array.from({ length: 22 }, () => Math.random() * 5);
    const modelRows: string[] = [];
    const measure = async (label: string, m: typeof bare, batch: number) => {
      const lat: number[] = [];
      const until = performance.now() + 2_000;
      for (let i = 0; i < 50; i++) await Promise.all(Array.from({ length: batch }, () => m.predictFraud(row())));
      while (performance.now() < until) {
        const rows = Array.from({ length: batch }, row);
        const s = performance.now();
        await Promise.all(rows.map((r) => m.predictFraud(r)));
        lat.push(performance.now() - s);
      }
      const total = lat.reduce((x, y) => x + y, 0);
      lat.sort((x, y) => x - y);
      modelRows.push(`${label.padEnd(34)} ${String(lat.length).padStart(7)} ${pct(lat, 50).toFixed(3).padStart(8)} ${pct(lat, 99).toFixed(3).padStart(8)} ${((lat.length * batch * 1000) / total).toFixed(0).padStart(10)}`);
    };
    for (const b of [1, 8, 64]) await measure(`batch ${b} (window 0)`, bare, b);
    await measure('batch 1, the former 2 ms window', tuned, 1);
    console.log(`largest batch run: ${bare.stats().largestBatch} rows, provider ${bare.describe().provider}, onnxruntime ${bare.describe().onnxruntimeVersion}`);
    await bare.close();

    console.log(`\n${RATE} requests/s (transfers ${TRANSFER_RATE}/s) for ${SECONDS} s per scenario (open loop), node ${process.version}; cpu: the serving process's CPU ms per request (in-process: this one, load generator included), machine: busy CPU ms per request on all cores (Neo4j, Redis, PostgreSQL included)`);
    console.log(`${'scenario'.padEnd(44)} ${'sent'.padStart(6)} ${'errors'.padStart(6)} ${'p50 ms'.padStart(8)} ${'p95 ms'.padStart(8)} ${'p99 ms'.padStart(8)} ${'max ms'.padStart(8)} ${'cpu'.padStart(6)} ${'machine'.padStart(7)}`);
    const f = (n: number) => n.toFixed(2).padStart(8);
    for (const r of results) console.log(`${r.name.padEnd(44)} ${String(r.sent).padStart(6)} ${String(r.errors).padStart(6)} ${f(r.p50)} ${f(r.p95)} ${f(r.p99)} ${f(r.max)} ${r.cpu.toFixed(1).padStart(6)} ${r.machine.toFixed(1).padStart(7)}`);
    console.log(`\nin-process stages (ms)                         calls      p50      p99`);
    for (const [k, v] of Object.entries(stages).sort()) {
      v.sort((x, y) => x - y);
      console.log(`${k.padEnd(44)} ${String(v.length).padStart(6)} ${f(pct(v, 50))} ${f(pct(v, 99))}`);
    }
    console.log(`decisions: ${JSON.stringify(decisions)}`);
    console.log(`\nfraud model alone, CPU               ${'calls'.padStart(7)} ${'p50 ms'.padStart(8)} ${'p99 ms'.padStart(8)} ${'rows/s'.padStart(10)}`);
    for (const line of modelRows) console.log(line);
    const [d, ip, , base, tOn, tOff] = results as [Result, Result, Result, Result, Result, Result];
    console.log(
      `\nrisk: scoring p99 ${d.p99.toFixed(1)} ms direct (${ip.p99.toFixed(1)} in-process), baseline ${base.p99.toFixed(1)} ms; transfer through the gateway p99 ${tOn.p99.toFixed(1)} ms with scoring, ${tOff.p99.toFixed(1)} ms with RISK_URL=off, at ${TRANSFER_RATE}/s; scoring at ${RATE}/s; target p99 <= 20 ms: ${d.p99 <= 20 ? 'met' : 'missed'}`,
    );
  } finally {
    await platform.stop();
    await driver.executeQuery('MATCH (n) WHERE (n:RiskAssessment OR n:RiskSettings OR n:RiskAlert OR n:RiskAlertChange) AND n.tenantId IN $t DETACH DELETE n', { t: tenants }).catch(() => undefined);
    await createGraphStore(driver).deleteTenants(tenants).catch(() => undefined);
    let cursor = '0';
    do {
      const [next, keys] = await redis.scan(cursor, 'MATCH', `${prefix}*`, 'COUNT', 1000);
      if (keys.length) await redis.del(...keys);
      cursor = next;
    } while (cursor !== '0');
    await model.close();
    await tuned.close();
    await driver.close();
    redis.disconnect();
  }
}

if (process.argv[2] === '--serve') await serve();
else await main();
