// npm run bench:slo — a fintech's mixed workload at a fixed total rate (open loop: each request leaves
// on schedule whether or not earlier ones finished; latency counted from the scheduled send time, so
// queueing shows), on one platform (bench/slo-setup.ts: every subgraph its own process by default),
// with each service's P99 beside its seed target. Every client-facing call goes through the gateway
// with the caller's token; risk scoring is @inaccessible, so it goes straight to the risk subgraph as
// the internal service `accounts` (as bench/risk.ts); KYC screening has no synchronous API, so it runs
// as bench/kyc.ts runs it, in a child process of this one (bench/slo-kyc-worker.ts). Before the mix, each
// service alone at BASELINE_RATE/s (the unloaded figure), then the mix at each rate.
//   npm run bench:slo -- [rates, comma-separated; default 200] [seconds per mix; default 30]
// BENCH_SLO_PROCESSES: subgraphs in processes of their own ('all', default; '' for one process).
// TEST_PLATFORM_CPU_PROF=<dir>: a CPU profile of each subgraph process, written when it stops.
import { execSync, fork } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { signIdentityAssertion } from '@baas/auth';
import { uuidv7 } from '@baas/db';
import { SoftwareAuthenticator } from '@baas/testing';
import { processTreeCpu } from './payments-setup';
import { must, post, type Body } from './served';
import { serveSlo } from './slo-setup';

const RATES = (process.argv[2] ?? '200').split(',').map(Number);
const SECONDS = Number(process.argv[3] ?? 30);
const BASELINE_RATE = Number(process.env.BENCH_SLO_BASELINE_RATE ?? 10);
const BASELINE_SECONDS = Number(process.env.BENCH_SLO_BASELINE_SECONDS ?? 8);
const ORIGIN = 'http://localhost:3000';

type Send = (i: number) => Promise<string | null>; // null: went through; else an error code
type Service = { name: string; target: number; weight: number; send: Send };
type Stats = { sent: number; errors: Map<string, number>; latencies: number[] };
const pct = (sorted: number[], p: number) => sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))] ?? 0;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const codeOf = (out: Body) => (out.errors ? String(out.errors[0]?.extensions?.code ?? out.errors[0]?.message) : out.data ? null : 'NO_DATA');
const uptime = () => execSync('uptime').toString().trim();

const { fixture, child } = await serveSlo();
const cs = fixture.customers;
const as = (token: string) => ({ authorization: `Bearer ${token}` });
const gw = (token: string, q: string, v: unknown) => post(fixture.gatewayUrl, as(token), q, v);

// Sign-in: a passkey of customer 0; refresh: a pool of that customer's sessions (a refresh token works once).
const authenticator = new SoftwareAuthenticator({ counter: 'zero' });
const reg = must(await gw(cs[0]!.token, 'mutation { startPasskeyRegistration { challengeId options } }', {}), 'start registration').startPasskeyRegistration;
must(
  await gw(cs[0]!.token, 'mutation F($input: FinishPasskeyRegistrationInput!) { finishPasskeyRegistration(input: $input) { id } }', {
    input: { challengeId: reg.challengeId, response: authenticator.createCredential({ options: reg.options, origin: ORIGIN }) },
  }),
  'finish registration',
);
const START = 'mutation S($input: StartPasskeySignInInput!) { startPasskeySignIn(input: $input) { challengeId options } }';
const FINISH = 'mutation F($input: FinishPasskeyAssertionInput!) { finishPasskeySignIn(input: $input) { accessToken { accessToken } refreshToken } }';
const REFRESH = 'mutation R($t: String!) { refreshSession(refreshToken: $t) { accessToken { accessToken } refreshToken } }';
const signIn = async (): Promise<{ code: string | null; refreshToken?: string }> => {
  const start = await post(fixture.gatewayUrl, {}, START, { input: { id: randomUUID(), tenantId: fixture.tenantId } });
  if (codeOf(start)) return { code: `start ${codeOf(start)}` };
  const s = start.data!.startPasskeySignIn as { challengeId: string; options: never };
  const done = await post(fixture.gatewayUrl, {}, FINISH, { input: { challengeId: s.challengeId, response: authenticator.getAssertion({ options: s.options, origin: ORIGIN }) } });
  return { code: codeOf(done), refreshToken: done.data?.finishPasskeySignIn?.refreshToken };
};
const sessions: string[] = [];
for (let i = 0; i < 96; i++) {
  const s = await signIn();
  if (!s.refreshToken) throw new Error(`sign-in for the refresh pool: ${s.code}`);
  sessions.push(s.refreshToken);
}

// Risk: the internal service's signed identity header, renewed before it expires.
const service = { subject: 'accounts', kind: 'service' as const, tenantId: null, scopes: ['risk:score'] };
let assertion = await signIdentityAssertion(service, fixture.internalSecret);
const renew = setInterval(() => void signIdentityAssertion(service, fixture.internalSecret).then((a) => (assertion = a)), 20_000);

// KYC screening in a child process.
const kyc = fork(new URL('./slo-kyc-worker.ts', import.meta.url), { execArgv: ['--import', 'tsx'] });
const kycWaiting = new Map<number, (code: string | null) => void>();
await new Promise<void>((resolve, reject) => {
  kyc.once('error', reject);
  kyc.on('message', (m: { ready?: true; n: number; error?: string }) => (m.ready ? resolve() : (kycWaiting.get(m.n)?.(m.error ?? null), kycWaiting.delete(m.n))));
});
let kycN = 0;

const ACCOUNT = 'query A($id: ID!) { account(id: $id) { id currency number status balance { available { minorUnits } } } }';
const LEDGER_BALANCE = 'query L($id: ID!) { ledgerAccount(id: $id) { id balance { posted { minorUnits } available { minorUnits } } } }';
const LEDGER_STATEMENT = 'query L($id: ID!) { ledgerAccount(id: $id) { id statement(first: 20) { openingBalance entries { transferId amount runningBalance } hasNextPage } } }';
const TRANSFER = 'mutation T($input: AccountTransferInput!) { transfer(input: $input) { id status failureCode } }';
const PAY_PIX = 'mutation P($input: PayPixInput!) { payPix(input: $input) { id state denialReason failureReason } }';
const SIMULATE = 'mutation S($input: SimulateCardTransactionInput!) { simulateCardTransaction(input: $input) { responseCode approved authorization { id state } } }';
const SCORE = 'mutation S($input: ScoreTransactionInput!) { scoreTransaction(input: $input) { id decision scoreBps } }';
const c = (i: number) => cs[i % cs.length]!;

/** The mix: weights in percent of the total rate (reads dominant). */
const SERVICES: Service[] = [
  { name: 'account read', target: 30, weight: 30, send: async (i) => codeOf(await gw(c(i).token, ACCOUNT, { id: c(i).accountId })) },
  { name: 'ledger read (balance/statement)', target: 80, weight: 10, send: async (i) => codeOf(await gw(c(i).token, i % 2 ? LEDGER_STATEMENT : LEDGER_BALANCE, { id: c(i).ledgerAccountId })) },
  {
    name: 'auth: refresh', target: 50, weight: 10, send: async () => {
      const token = sessions.pop();
      if (!token) return 'NO_FREE_SESSION';
      const out = await post(fixture.gatewayUrl, {}, REFRESH, { t: token });
      if (!codeOf(out)) sessions.push(out.data!.refreshSession.refreshToken);
      return codeOf(out);
    },
  },
  { name: 'auth: passkey sign-in (2 calls)', target: 50, weight: 5, send: async () => (await signIn()).code },
  {
    name: 'risk score (risk direct)', target: 50, weight: 10, send: async (i) => {
      const [p, q] = [c(i), c(i + 1)];
      const input = { movementId: randomUUID(), tenantId: fixture.tenantId, customerId: p.customerId, rail: 'TRANSFER', payerAccountId: p.accountId, payeeAccountId: q.accountId, amount: String(1000 + (i % 200) * 1000), currency: 'BRL', occurredAt: new Date().toISOString(), deviceId: `bench-device-${i % cs.length}`, ip: `10.0.0.${i % cs.length}` };
      const out = await post(fixture.subgraphUrls.risk!, { 'x-baas-identity': assertion }, SCORE, { input });
      return codeOf(out);
    },
  },
  {
    name: 'account: transfer', target: 30, weight: 10, send: async (i) => {
      const out = await gw(c(i).token, TRANSFER, { input: { id: uuidv7(), fromAccountId: c(i).accountId, toAccountId: c(i + 1).accountId, amount: '100' } });
      return codeOf(out) ?? (out.data!.transfer.status === 'POSTED' ? null : `${out.data!.transfer.status} ${out.data!.transfer.failureCode}`);
    },
  },
  {
    name: 'payment: PIX by key', target: 100, weight: 10, send: async (i) => {
      const out = await gw(c(i).token, PAY_PIX, { input: { id: uuidv7(), accountId: c(i).accountId, key: fixture.receiver.key, amount: '100' } });
      const o = out.data?.payPix as { state: string; denialReason: string | null; failureReason: string | null } | undefined;
      return codeOf(out) ?? (o!.state === 'DENIED' || o!.state === 'FAILED' ? `${o!.state} ${o!.denialReason ?? o!.failureReason}` : null);
    },
  },
  {
    name: 'card: authorisation', target: 40, weight: 10, send: async (i) => {
      const out = await post(fixture.gatewayUrl, as(fixture.clientToken), SIMULATE, { input: { id: uuidv7(), cardId: c(i).cardId, type: 'AUTHORIZATION', amount: '1234' } });
      return codeOf(out) ?? (out.data!.simulateCardTransaction.responseCode === '00' ? null : `declined ${out.data!.simulateCardTransaction.responseCode}`);
    },
  },
  {
    name: 'kyc: screening (bench process)', target: 200, weight: 5, send: () => new Promise((resolve) => {
      const n = kycN++;
      kycWaiting.set(n, resolve);
      kyc.send({ n });
    }),
  },
];

/** CPU ms so far of the platform's processes (by subgraph) and of the KYC screening process. */
const treeCpu = async () => new Map([...(await processTreeCpu(child.pid!)), ['kyc screening (bench)', [...(await processTreeCpu(kyc.pid!)).values()].reduce((a, b) => a + b, 0)]]);

/** Open loop over `plan` (which service each slot sends), `rate` per second for `seconds`; what has not answered 30 s after the last send is an error. */
async function openLoop(rate: number, seconds: number, plan: Service[]): Promise<{ stats: Map<Service, Stats>; cpu: Map<string, number>; wallMs: number; genCpuMs: number }> {
  const stats = new Map<Service, Stats>(plan.map((s) => [s, { sent: 0, errors: new Map(), latencies: [] }]));
  const total = Math.round(rate * seconds);
  const cpu0 = await treeCpu();
  const gen0 = process.cpuUsage();
  const start = performance.now();
  const pending = new Set<Promise<void>>();
  for (let i = 0; i < total; i++) {
    const due = start + (i * 1000) / rate;
    const wait = due - performance.now();
    if (wait > 0) await sleep(wait);
    const s = plan[i % plan.length]!;
    const st = stats.get(s)!;
    st.sent += 1;
    const p: Promise<void> = s
      .send(i)
      .catch((e: unknown) => `THROWN ${(e as Error).message}`)
      .then((code) => {
        st.latencies.push(performance.now() - due);
        if (code) st.errors.set(code, (st.errors.get(code) ?? 0) + 1);
        pending.delete(p);
      });
    pending.add(p);
  }
  await Promise.race([Promise.all(pending), sleep(30_000)]);
  const wallMs = performance.now() - start;
  for (const [, st] of stats) {
    const missing = st.sent - st.latencies.length;
    if (missing > 0) st.errors.set('NO_ANSWER_30S', missing);
    st.latencies.sort((a, b) => a - b);
  }
  const cpu1 = await treeCpu();
  const g = process.cpuUsage(gen0);
  return { stats, cpu: new Map([...cpu1].map(([k, v]) => [k, v - (cpu0.get(k) ?? 0)])), wallMs, genCpuMs: (g.user + g.system) / 1000 };
}

/** Slots of the mix: each service weight times, interleaved (service k's j-th slot at (j + k / n) / weight). */
const mixPlan = (): Service[] =>
  SERVICES.flatMap((s, k) => Array.from({ length: s.weight }, (_, j) => ({ s, at: (j + k / SERVICES.length) / s.weight })))
    .sort((a, b) => a.at - b.at)
    .map((x) => x.s);

const f = (n: number) => n.toFixed(1).padStart(8);
const cpuLine = (cpu: Map<string, number>, wallMs: number, genCpuMs: number) =>
  `CPU of the platform's processes and the KYC screening process ${(([...cpu.values()].reduce((a, b) => a + b, 0) / wallMs) * 100).toFixed(0)}% of one core (by process: ${[...cpu].filter(([, ms]) => ms > 0).sort((a, b) => b[1] - a[1]).map(([k, ms]) => `${k} ${((ms / wallMs) * 100).toFixed(0)}%`).join(', ')}); load generator ${((genCpuMs / wallMs) * 100).toFixed(0)}%`;

try {
  console.log(`uptime before: ${uptime()}`);
  console.log(`subgraphs as processes: ${fixture.processes.join(',') || 'none'}; ${cs.length} customers; platform env ${JSON.stringify(fixture.env)}`);
  // Warm-up: every service, every path, connections open.
  for (let i = 0; i < 3 * cs.length; i++) for (const s of SERVICES) await s.send(i).catch(() => null);
  const baseline = new Map<Service, Stats>();
  const cpuAlone = new Map<Service, number>(); // CPU ms per request (platform tree + KYC process), the service alone
  for (const s of SERVICES) {
    const run = await openLoop(BASELINE_RATE, BASELINE_SECONDS, [s]);
    baseline.set(s, run.stats.get(s)!);
    cpuAlone.set(s, [...run.cpu.values()].reduce((a, b) => a + b, 0) / run.stats.get(s)!.sent);
    await sleep(500);
  }
  const totalWeight = SERVICES.reduce((a, s) => a + s.weight, 0);
  console.log(`\nmix (weight % of the total rate): ${SERVICES.map((s) => `${s.name} ${s.weight}`).join(', ')}${totalWeight === 100 ? '' : ` (of ${totalWeight})`}`);
  console.log(`baseline ('alone'): each service alone at ${BASELINE_RATE}/s for ${BASELINE_SECONDS} s, before the mix, and its CPU ms per request (platform processes + KYC process, first send to last answer: asynchronous work after it, such as PIX settlement, is not counted; idle polling is); node ${process.version}`);
  const verdicts: string[] = [];
  for (const rate of RATES) {
    await sleep(3000); // the previous phase's asynchronous work (PIX settlement, relays) settles
    const run = await openLoop(rate, SECONDS, mixPlan());
    console.log(`\nmix at ${rate}/s for ${SECONDS} s (open loop, latency from the scheduled send; ${(run.wallMs / 1000).toFixed(1)} s to the last answer)`);
    console.log(`${'service'.padEnd(32)} ${'target'.padStart(6)} ${'reqs'.padStart(5)} ${'errs'.padStart(5)} ${'p50 ms'.padStart(8)} ${'p99 ms'.padStart(8)} ${'max ms'.padStart(8)} ${'alone p50'.padStart(9)} ${'alone p99'.padStart(9)} ${'cpu ms/req'.padStart(10)}  P99 target`);
    for (const s of SERVICES) {
      const st = run.stats.get(s)!;
      const b = baseline.get(s)!;
      const errs = [...st.errors.values()].reduce((a, v) => a + v, 0);
      const p99 = pct(st.latencies, 99);
      const met = p99 < s.target && errs === 0;
      console.log(`${s.name.padEnd(32)} ${String(s.target).padStart(6)} ${String(st.sent).padStart(5)} ${String(errs).padStart(5)} ${f(pct(st.latencies, 50))} ${f(p99)} ${f(st.latencies.at(-1) ?? 0)} ${f(pct(b.latencies, 50)).padStart(9)} ${f(pct(b.latencies, 99)).padStart(9)} ${f(cpuAlone.get(s)!).padStart(10)}  ${met ? 'met' : 'MISSED'}`);
      for (const [code, n] of [...st.errors, ...[...b.errors].map(([k, v]) => [`(alone) ${k}`, v] as const)]) console.log(`    ${n} x ${code}`);
      if (!met) verdicts.push(`${s.name} @${rate}/s`);
    }
    console.log(cpuLine(run.cpu, run.wallMs, run.genCpuMs));
    console.log(`uptime: ${uptime()}`);
  }
  console.log(`\nslo: missed ${verdicts.length ? verdicts.join('; ') : 'none'}`);
} finally {
  clearInterval(renew);
  kyc.disconnect();
  child.kill('SIGTERM');
  await new Promise((r) => (child.exitCode !== null ? r(null) : child.once('exit', r)));
}
