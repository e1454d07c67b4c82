// npm run bench:payments — PIX payments by key (payPix) at fixed arrival rates through the gateway,
// beside the plain account transfer (the `transfer` saga) at the same rates, in one run on one
// platform. Open loop: each request leaves on schedule whether or not earlier ones finished, and
// latency is counted from the scheduled time, so queueing shows. payPix is measured without waiting
// (waitMs 0: it answers once the order is SENT to the rail, or DENIED/FAILED); time to SETTLED is
// read afterwards from the orders' own timestamps. At the end every order must be SETTLED and every
// balance must agree with what was paid.
//   npm run bench:payments -- [rates, comma-separated] [seconds per scenario] [payers]
import { uuidv7 } from '@baas/db';
import { processCpuMs, servePayments } from './payments-setup';
import { must, post, type Body } from './served';

const RATES = (process.argv[2] ?? '10,20').split(',').map(Number);
const SECONDS = Number(process.argv[3] ?? 20);
const PAYERS = Number(process.argv[4] ?? 8);
const AMOUNT = 100n;

const PAY_PIX = 'mutation P($input: PayPixInput!) { payPix(input: $input) { id state denialReason failureReason } }';
const TRANSFER = 'mutation T($input: AccountTransferInput!) { transfer(input: $input) { id status failureCode } }';
const ORDERS =
  'query O($accountId: ID!, $after: String) { paymentOrders(accountId: $accountId, first: 100, after: $after) { items { id direction state amount { minorUnits } createdAt settledAt } endCursor hasNextPage } }';
const BALANCE = 'query B($id: ID!) { account(id: $id) { balance { posted { minorUnits } available { minorUnits } } } }';

type Result = { name: string; rate: number; sent: number; errors: number; achieved: number; p50: number; p95: number; p99: number; max: number; cpu: number; codes: Map<string, number> };
const pct = (sorted: number[], p: number) => sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))] ?? 0;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/**
 * Open-loop load (as bench/accounts.ts): one request every 1/rate s for `seconds`; latency from the
 * scheduled send time. `send` answers null when it went through, else an error code. achieved/s:
 * requests that went through per second, from the first scheduled send to the last answer. cpu:
 * the platform process's CPU ms per request over the run, `drain` (PIX: until every order of the
 * run is SETTLED, so no backlog spills into the next scenario) and a 2 s quiet period.
 */
async function atFixedRate(name: string, rate: number, send: (i: number) => Promise<string | null>, pid: number, drain?: () => Promise<unknown>): Promise<Result> {
  const total = Math.round(rate * SECONDS);
  const latencies: number[] = [];
  const codes = new Map<string, number>();
  const cpu0 = await processCpuMs(pid);
  const start = performance.now();
  let last = start;
  const inflight: Promise<void>[] = [];
  for (let i = 0; i < total; i++) {
    const due = start + (i * 1000) / rate;
    const wait = due - performance.now();
    if (wait > 0) await sleep(wait);
    inflight.push(
      send(i)
        .catch((e: unknown) => `THROWN ${(e as Error).message}`)
        .then((code) => {
          last = performance.now();
          latencies.push(last - due);
          if (code) codes.set(code, (codes.get(code) ?? 0) + 1);
        }),
    );
  }
  await Promise.all(inflight);
  await drain?.();
  await sleep(2000);
  const cpu = ((await processCpuMs(pid)) - cpu0) / total;
  latencies.sort((a, b) => a - b);
  const errors = [...codes.values()].reduce((a, b) => a + b, 0);
  return { name, rate, sent: total, errors, achieved: ((total - errors) * 1000) / (last - start), p50: pct(latencies, 50), p95: pct(latencies, 95), p99: pct(latencies, 99), max: latencies.at(-1) ?? 0, cpu, codes };
}

const errorCode = (out: Body) => out.errors?.[0]?.extensions?.code ?? (out.errors ? out.errors[0]!.message : null);

const { fixture, child } = await servePayments({ payers: PAYERS });
const { payers, receiver, sink } = fixture;
const as = (token: string) => ({ authorization: `Bearer ${token}` });
const operator = (q: string, v: unknown) => post(fixture.gatewayUrl, as(fixture.operatorToken), q, v);

/** Per payer: PIX orders accepted (and their ids, by scenario), transfers posted. */
const pixIds = new Map<string, string[]>();
const transfersPosted = new Array<number>(payers.length).fill(0);

const pix = (scenario: string) => async (i: number) => {
  const payer = payers[i % payers.length]!;
  const out = await post(fixture.gatewayUrl, as(payer.token), PAY_PIX, { input: { id: uuidv7(), accountId: payer.accountId, key: receiver.key, amount: AMOUNT.toString() } });
  if (out.errors || !out.data) return errorCode(out) ?? 'NO_DATA';
  const order = out.data.payPix as { id: string; state: string; denialReason: string | null; failureReason: string | null };
  if (order.state === 'DENIED' || order.state === 'FAILED') return `${order.state} ${order.denialReason ?? order.failureReason}`;
  pixIds.set(scenario, [...(pixIds.get(scenario) ?? []), order.id]);
  return null;
};
const transfer = async (i: number) => {
  const payer = payers[i % payers.length]!;
  const out = await post(fixture.gatewayUrl, as(payer.token), TRANSFER, { input: { id: uuidv7(), fromAccountId: payer.accountId, toAccountId: sink.accountId, amount: AMOUNT.toString() } });
  if (out.errors || !out.data) return errorCode(out) ?? 'NO_DATA';
  const saga = out.data.transfer as { status: string; failureCode: string | null };
  if (saga.status !== 'POSTED') return `${saga.status} ${saga.failureCode}`;
  transfersPosted[i % payers.length]! += 1;
  return null;
};

type Order = { id: string; direction: string; state: string; amount: { minorUnits: string }; createdAt: string; settledAt: string | null; payer: number };
async function ordersOf(payer: (typeof payers)[number], index: number): Promise<Order[]> {
  const all: Order[] = [];
  let after: string | null = null;
  do {
    const page = must(await post(fixture.gatewayUrl, as(payer.token), ORDERS, { accountId: payer.accountId, after }), 'paymentOrders').paymentOrders as { items: Order[]; endCursor: string | null; hasNextPage: boolean };
    all.push(...page.items);
    after = page.hasNextPage ? page.endCursor : null;
  } while (after);
  return all.filter((o) => o.direction === 'OUT').map((o) => ({ ...o, payer: index }));
}
/** Polls (with a deadline) until the payers' orders include every id, all of them SETTLED; returns the payers' orders. */
async function allSettled(ids: string[], withinMs: number): Promise<Order[]> {
  const deadline = Date.now() + withinMs;
  for (;;) {
    const orders = (await Promise.all(payers.map(ordersOf))).flat();
    const settled = new Set(orders.filter((o) => o.state === 'SETTLED').map((o) => o.id));
    if ((ids.every((id) => settled.has(id)) && settled.size === orders.length) || Date.now() > deadline) return orders;
    await sleep(1000);
  }
}
async function balanceOf(id: string): Promise<{ posted: bigint; available: bigint }> {
  const b = must(await operator(BALANCE, { id }), 'balance').account.balance as { posted: { minorUnits: string }; available: { minorUnits: string } };
  return { posted: BigInt(b.posted.minorUnits), available: BigInt(b.available.minorUnits) };
}

try {
  const pid = child.pid!;
  for (let i = 0; i < 40; i++) await pix('warm-up')(i), await transfer(i); // warm-up: every path run, connections open
  const results: Result[] = [];
  for (const rate of RATES) {
    results.push(await atFixedRate(`payPix by key @${rate}/s`, rate, pix(`pix@${rate}`), pid, () => allSettled(pixIds.get(`pix@${rate}`) ?? [], 120_000)));
    results.push(await atFixedRate(`transfer @${rate}/s`, rate, transfer, pid));
  }

  // Every accepted order final: poll (with a deadline) until all are SETTLED.
  const accepted = new Set([...pixIds.values()].flat());
  const orders = await allSettled([...accepted], 60_000);
  const states = new Map<string, number>();
  for (const o of orders) states.set(o.state, (states.get(o.state) ?? 0) + 1);
  const byId = new Map(orders.map((o) => [o.id, o]));

  console.log(`\nPIX by key and transfers through the gateway, open loop, ${SECONDS} s per scenario, ${payers.length} payers, amount ${AMOUNT} each, node ${process.version}`);
  console.log(`platform env beyond the test platform's: ${JSON.stringify(fixture.env)}; sandbox bank latency ${fixture.env.SANDBOX_BANK_LATENCY_MS ?? '20 (default)'} ms`);
  const f = (n: number) => n.toFixed(2).padStart(8);
  console.log(`${'scenario'.padEnd(24)} ${'rate'.padStart(5)} ${'sent'.padStart(6)} ${'achvd/s'.padStart(8)} ${'errors'.padStart(6)} ${'p50 ms'.padStart(8)} ${'p95 ms'.padStart(8)} ${'p99 ms'.padStart(8)} ${'max ms'.padStart(8)} ${'cpu ms'.padStart(7)}`);
  for (const r of results) {
    console.log(`${r.name.padEnd(24)} ${String(r.rate).padStart(5)} ${String(r.sent).padStart(6)} ${r.achieved.toFixed(1).padStart(8)} ${String(r.errors).padStart(6)} ${f(r.p50)} ${f(r.p95)} ${f(r.p99)} ${f(r.max)} ${r.cpu.toFixed(1).padStart(7)}`);
    for (const [code, n] of r.codes) console.log(`    ${n} x ${code}`);
  }
  console.log('\ntime from order creation to SETTLED (server timestamps; includes the sandbox bank latency):');
  for (const rate of RATES) {
    const spans = (pixIds.get(`pix@${rate}`) ?? []).map((id) => byId.get(id)).filter((o) => o?.settledAt).map((o) => Date.parse(o!.settledAt!) - Date.parse(o!.createdAt));
    spans.sort((a, b) => a - b);
    console.log(`  payPix @${rate}/s: ${spans.length} settled, p50 ${pct(spans, 50)} ms, p95 ${pct(spans, 95)} ms, p99 ${pct(spans, 99)} ms, max ${spans.at(-1) ?? 0} ms`);
  }
  console.log(`orders of the payers: ${JSON.stringify(Object.fromEntries(states))} (accepted by the mutation: ${accepted.size})`);

  // Balances: payers paid exactly their settled PIX and posted transfers; the receiver and the sink got them.
  const settledBy = payers.map((_, i) => orders.filter((o) => o.state === 'SETTLED' && o.payer === i).length);
  const settled = settledBy.reduce((a, b) => a + b, 0);
  const want = {
    receiver: BigInt(settled) * AMOUNT,
    sink: BigInt(transfersPosted.reduce((a, b) => a + b, 0)) * AMOUNT,
    payers: payers.map((_, i) => BigInt(fixture.funded) - BigInt(settledBy[i]! + transfersPosted[i]!) * AMOUNT),
  };
  let got = { receiver: { posted: 0n, available: 0n }, sink: { posted: 0n, available: 0n }, payers: [] as { posted: bigint; available: bigint }[] };
  const agree = () =>
    got.receiver.posted === want.receiver && got.receiver.available === want.receiver && got.sink.posted === want.sink && got.sink.available === want.sink &&
    got.payers.every((b, i) => b.posted === want.payers[i] && b.available === want.payers[i]);
  const until = Date.now() + 30_000;
  do {
    got = { receiver: await balanceOf(receiver.accountId), sink: await balanceOf(sink.accountId), payers: await Promise.all(payers.map((p) => balanceOf(p.accountId))) };
    if (agree()) break;
    await sleep(500);
  } while (Date.now() < until);
  const paid = got.payers.reduce((a, b) => a + (BigInt(fixture.funded) - b.posted), 0n);
  console.log(`balances: receiver ${got.receiver.posted} (expected ${want.receiver}), transfers' payee ${got.sink.posted} (expected ${want.sink}), payers paid ${paid} in all (${settled} PIX + ${want.sink / AMOUNT} transfers of ${AMOUNT}); ${agree() ? 'ALL AGREE' : 'MISMATCH'}`);
  if (!agree()) console.log(JSON.stringify({ want, got }, (_, v) => (typeof v === 'bigint' ? v.toString() : v)));

  const top = RATES.at(-1)!;
  const [p, t] = [results.find((r) => r.name === `payPix by key @${top}/s`)!, results.find((r) => r.name === `transfer @${top}/s`)!];
  console.log(`\npayments: payPix p99 ${p.p99.toFixed(1)} ms (transfer ${t.p99.toFixed(1)} ms) at ${top}/s; seed target P99 < 100 ms ${p.p99 < 100 ? 'met' : 'MISSED'}`);
  if (!agree() || orders.some((o) => o.state !== 'SETTLED')) process.exitCode = 1;
} finally {
  child.kill('SIGTERM');
}
