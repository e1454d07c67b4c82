// npm run bench:accounts — the account query and the transfer mutation (a saga: hold, risk, limits,
// post) at a fixed arrival rate (open loop: requests are sent on schedule whether or not earlier
// ones finished, so queueing shows in the latency), through the gateway and straight to the
// accounts subgraph (the gateway's overhead), in one run on the same stores.
//   npm run bench:accounts -- [rate per second] [seconds]
import { randomUUID } from 'node:crypto';
import { signIdentityAssertion, type Identity } from '@baas/auth';
import { must, post, servePlatform, type Body } from './served';

const RATE = Number(process.argv[2] ?? 50);
const SECONDS = Number(process.argv[3] ?? 20);

const { served, child } = await servePlatform();
let assertion = await signIdentityAssertion(served.identity, served.internalSecret);
const refresh = setInterval(() => void signIdentityAssertion(served.identity, served.internalSecret).then((a) => (assertion = a)), 20_000);
const gateway = (q: string, v: unknown) => post(served.gatewayUrl, { authorization: `Bearer ${served.token}` }, q, v);
const direct = (q: string, v: unknown) => post(served.subgraphUrls.accounts!, { 'x-baas-identity': assertion }, q, v);

const ACCOUNT = 'query A($id: ID!) { account(id: $id) { id currency number status balance { available { minorUnits } } } }';
const TRANSFER = 'mutation T($input: AccountTransferInput!) { transfer(input: $input) { id status failureCode } }';

type Result = { name: string; sent: number; errors: number; p50: number; p95: number; p99: number; max: number };
const pct = (sorted: number[], p: number) => sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))] ?? 0;

/** Open-loop load: one request every 1/RATE s for SECONDS s; latency from the scheduled send time. */
async function atFixedRate(name: string, send: () => Promise<boolean>): Promise<Result> {
  const total = Math.round(RATE * SECONDS);
  const latencies: number[] = [];
  let errors = 0;
  const start = performance.now();
  const inflight: Promise<void>[] = [];
  for (let i = 0; i < total; i++) {
    const due = start + (i * 1000) / RATE;
    const wait = due - performance.now();
    if (wait > 0) await new Promise((r) => setTimeout(r, wait));
    inflight.push(
      send()
        .catch(() => false)
        .then((ok) => {
          latencies.push(performance.now() - due);
          if (!ok) errors += 1;
        }),
    );
  }
  await Promise.all(inflight);
  latencies.sort((a, b) => a - b);
  return { name, sent: total, errors, p50: pct(latencies, 50), p95: pct(latencies, 95), p99: pct(latencies, 99), max: latencies.at(-1) ?? 0 };
}

try {
  // Fixtures: two BRL accounts of the customer, one funded through the sandbox.
  const open = async () => {
    const id = randomUUID();
    must(await gateway('mutation O($input: OpenAccountInput!) { openAccount(input: $input) { status } }', { input: { id, currency: 'BRL' } }), 'open');
    return id;
  };
  const [a, b] = [await open(), await open()];
  const fund = (id: string) =>
    post(served.gatewayUrl, { authorization: `Bearer ${served.operatorToken}` }, 'mutation F($input: FundSandboxAccountInput!) { fundSandboxAccount(input: $input) { status } }', {
      input: { id: randomUUID(), accountId: id, amount: '100000000000' },
    });
  must(await fund(a), 'fund a');
  must(await fund(b), 'fund b');

  const read = (via: typeof gateway) => async () => !(await via(ACCOUNT, { id: a })).errors;
  let flip = 0;
  const move = (via: typeof gateway) => async () => {
    const [from, to] = flip++ % 2 ? [a, b] : [b, a];
    const out = await via(TRANSFER, { input: { id: randomUUID(), fromAccountId: from, toAccountId: to, amount: '1' } });
    return !out.errors && out.data?.transfer.status === 'POSTED';
  };
  for (const via of [direct, gateway]) for (let i = 0; i < 50; i++) await read(via)(), await move(via)(); // warm-up

  const results: Result[] = [];
  results.push(await atFixedRate('account query: accounts direct', read(direct)));
  results.push(await atFixedRate('account query: gateway', read(gateway)));
  results.push(await atFixedRate('transfer mutation: accounts direct', move(direct)));
  results.push(await atFixedRate('transfer mutation: gateway', move(gateway)));
  console.log(`\n${RATE} requests/s for ${SECONDS} s per scenario (open loop), node ${process.version}`);
  console.log(`${'scenario'.padEnd(36)} ${'sent'.padStart(6)} ${'errors'.padStart(6)} ${'p50 ms'.padStart(8)} ${'p95 ms'.padStart(8)} ${'p99 ms'.padStart(8)} ${'max ms'.padStart(8)}`);
  for (const r of results) {
    const f = (n: number) => n.toFixed(2).padStart(8);
    console.log(`${r.name.padEnd(36)} ${String(r.sent).padStart(6)} ${String(r.errors).padStart(6)} ${f(r.p50)} ${f(r.p95)} ${f(r.p99)} ${f(r.max)}`);
  }
  const [qd, qg, td, tg] = results as [Result, Result, Result, Result];
  console.log(`\naccounts: account p99 ${qg.p99.toFixed(1)} ms (direct ${qd.p99.toFixed(1)}), transfer p99 ${tg.p99.toFixed(1)} ms (direct ${td.p99.toFixed(1)}) at ${RATE}/s`);
} finally {
  clearInterval(refresh);
  child.kill('SIGTERM');
}
