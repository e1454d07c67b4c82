// npm run bench:cards — card authorisations through the sandbox network simulator
// (simulateCardTransaction AUTHORIZATION, through the gateway as a sandbox tenant's backend) at a
// fixed arrival rate, beside the bare ledger hold (a pending createTransfers straight to the ledger
// subgraph, as the cards subgraph places it) at the same rate, in one run on one platform. Open
// loop: each request leaves on schedule whether or not earlier ones finished, and latency is counted
// from the scheduled time, so queueing shows. Spread over the cards (and the baseline over as many
// payer ledger accounts), then all on one card (one account): holds on one account serialise there.
// Approvals are not reversed: the holds stay (each account is funded far beyond what the run holds).
// With `processes` ('all', or names such as cards,risk,ledger) those subgraphs run as processes of
// their own, as deployed (the gateway stays in the platform process); CPU is then the whole tree's.
//   npm run bench:cards -- [rate] [seconds] [cards] [processes]
import { uuidv7 } from '@baas/db';
import { createLedgerClient, written } from '../subgraphs/cards/src/clients/ledger/client';
import { BENCH_LEDGER_CODES, serveCards } from './cards-setup';
import { processTreeCpu } from './payments-setup';
import { post } from './served';

const RATE = Number(process.argv[2] ?? 50);
const SECONDS = Number(process.argv[3] ?? 10);
const CARDS = Number(process.argv[4] ?? 8);
const PROCESSES = process.argv[5] ?? '';
const AMOUNT = 1234n;
const TARGET_P99_MS = 40;

const SIMULATE = 'mutation S($input: SimulateCardTransactionInput!) { simulateCardTransaction(input: $input) { responseCode approved authorization { id state } } }';

/** What one request came to: approved, declined with its DE39 code, or an error (GraphQL error, refusal, throw). */
type Outcome = { ok: true; code: string } | { ok: false; error: string };
type Result = { name: string; sent: number; approved: number; declined: Map<string, number>; errors: Map<string, number>; achieved: number; p50: number; p95: number; p99: number; max: number; cpu: number; cpuBy: Map<string, number> };
const pct = (sorted: number[], p: number) => sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))] ?? 0;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const add = (m: Map<string, number>, k: string) => m.set(k, (m.get(k) ?? 0) + 1);
const sum = (m: Map<string, number>) => [...m.values()].reduce((a, b) => a + b, 0);

/**
 * Open-loop load (as bench/payments.ts): one request every 1/RATE s for SECONDS; latency from the
 * scheduled send time. achieved/s: requests answered without error per second, from the first
 * scheduled send to the last answer. cpu: the platform process's CPU ms per request over the run
 * and a 2 s quiet period after it.
 */
async function atFixedRate(name: string, send: (i: number) => Promise<Outcome>, pid: number): Promise<Result> {
  const total = Math.round(RATE * SECONDS);
  const latencies: number[] = [];
  const declined = new Map<string, number>();
  const errors = new Map<string, number>();
  let approved = 0;
  const cpu0 = await processTreeCpu(pid);
  const start = performance.now();
  let last = start;
  const inflight: Promise<void>[] = [];
  for (let i = 0; i < total; i++) {
    const due = start + (i * 1000) / RATE;
    const wait = due - performance.now();
    if (wait > 0) await sleep(wait);
    inflight.push(
      send(i)
        .catch((e: unknown): Outcome => ({ ok: false, error: `THROWN ${(e as Error).message}` }))
        .then((out) => {
          last = performance.now();
          latencies.push(last - due);
          if (!out.ok) add(errors, out.error);
          else if (out.code === '00') approved += 1;
          else add(declined, out.code);
        }),
    );
  }
  await Promise.all(inflight);
  await sleep(2000);
  const cpuBy = new Map([...(await processTreeCpu(pid))].map(([k, v]) => [k, (v - (cpu0.get(k) ?? 0)) / total]));
  const cpu = [...cpuBy.values()].reduce((a, b) => a + b, 0);
  latencies.sort((a, b) => a - b);
  return { name, sent: total, approved, declined, errors, achieved: ((total - sum(errors)) * 1000) / (last - start), p50: pct(latencies, 50), p95: pct(latencies, 95), p99: pct(latencies, 99), max: latencies.at(-1) ?? 0, cpu, cpuBy };
}

const { fixture, child } = await serveCards({ cards: CARDS, processes: PROCESSES });
const auth = { authorization: `Bearer ${fixture.clientToken}` };
const ledger = createLedgerClient({ url: fixture.ledger.url, secret: fixture.ledger.secret });

/** An authorisation on card `pick(i)` through the gateway; a fresh id (the simulator derives the STAN and RRN from it). */
const authorize = (pick: (i: number) => number) => async (i: number): Promise<Outcome> => {
  const card = fixture.cards[pick(i)]!;
  const out = await post(fixture.gatewayUrl, auth, SIMULATE, { input: { id: uuidv7(), cardId: card.cardId, type: 'AUTHORIZATION', amount: AMOUNT.toString() } });
  if (out.errors || !out.data) return { ok: false, error: out.errors?.[0]?.extensions?.code ?? out.errors?.[0]?.message ?? 'NO_DATA' };
  const r = out.data.simulateCardTransaction as { responseCode: string; approved: boolean; authorization: { id: string; state: string } | null };
  if (r.approved && r.authorization?.state !== 'APPROVED') return { ok: false, error: `approved, authorisation ${r.authorization?.state ?? 'absent'}` };
  return { ok: true, code: r.responseCode };
};
/** The bare hold: one pending transfer payer -> settlement, as cards' holdPiece sends it (a fresh id). */
const hold = (pick: (i: number) => number) => async (i: number): Promise<Outcome> => {
  const [w] = await ledger.createTransfers([
    { id: uuidv7(), debitAccountId: fixture.ledger.payers[pick(i)]!, creditAccountId: fixture.ledger.settlement, amount: AMOUNT, currency: 'BRL', code: BENCH_LEDGER_CODES.HOLD, pending: true, timeoutSeconds: 7 * 86_400, metadata: { bench: 'cards', hold: i } },
  ]);
  return written(w) ? { ok: true, code: '00' } : { ok: false, error: w?.error ?? 'NO_RESULT' };
};

try {
  const pid = child.pid!;
  const spread = (i: number) => i % CARDS;
  const one = () => 0;
  // Warm-up: every path run once per card and account, connections open.
  for (let i = 0; i < Math.max(20, CARDS * 2); i++) await authorize(spread)(i), await hold(spread)(i);
  const results: Result[] = [
    await atFixedRate(`authorisation, ${CARDS} cards`, authorize(spread), pid),
    await atFixedRate(`ledger hold, ${CARDS} accounts`, hold(spread), pid),
    await atFixedRate('authorisation, 1 card', authorize(one), pid),
    await atFixedRate('ledger hold, 1 account', hold(one), pid),
  ];

  console.log(`\ncard authorisations (simulateCardTransaction AUTHORIZATION ${AMOUNT}, through the gateway) beside the bare ledger hold (createTransfers pending, straight to the ledger)`);
  console.log(`open loop ${RATE}/s for ${SECONDS} s per scenario, ${CARDS} cards, risk on, node ${process.version}; platform env beyond the test platform's: ${JSON.stringify(fixture.env)}`);
  console.log(`subgraphs ${PROCESSES ? `in processes of their own: ${PROCESSES}` : 'all in one process with the gateway'}; cpu ms: the platform's process${PROCESSES ? ' tree' : ''} per request`);
  const f = (n: number) => n.toFixed(2).padStart(8);
  console.log(`${'scenario'.padEnd(28)} ${'sent'.padStart(5)} ${'achvd/s'.padStart(8)} ${'apprvd'.padStart(6)} ${'declnd'.padStart(6)} ${'errors'.padStart(6)} ${'p50 ms'.padStart(8)} ${'p95 ms'.padStart(8)} ${'p99 ms'.padStart(8)} ${'max ms'.padStart(8)} ${'cpu ms'.padStart(7)}`);
  for (const r of results) {
    console.log(`${r.name.padEnd(28)} ${String(r.sent).padStart(5)} ${r.achieved.toFixed(1).padStart(8)} ${String(r.approved).padStart(6)} ${String(sum(r.declined)).padStart(6)} ${String(sum(r.errors)).padStart(6)} ${f(r.p50)} ${f(r.p95)} ${f(r.p99)} ${f(r.max)} ${r.cpu.toFixed(1).padStart(7)}`);
    for (const [code, n] of r.declined) console.log(`    ${n} x declined ${code}`);
    for (const [code, n] of r.errors) console.log(`    ${n} x error ${code}`);
    if (r.cpuBy.size > 1) console.log(`    cpu ms per request by process: ${[...r.cpuBy].filter(([, ms]) => ms >= 0.05).sort((a, b) => b[1] - a[1]).map(([k, ms]) => `${k} ${ms.toFixed(1)}`).join(', ')}`);
  }
  const [cards, bare] = [results[0]!, results[1]!];
  console.log(`\ncards: authorisation p99 ${cards.p99.toFixed(1)} ms (bare ledger hold ${bare.p99.toFixed(1)} ms) at ${RATE}/s over ${CARDS} cards; seed target P99 < ${TARGET_P99_MS} ms ${cards.p99 < TARGET_P99_MS ? 'met' : 'MISSED'}`);
  if (results.some((r) => sum(r.errors) > 0)) process.exitCode = 1;
} finally {
  child.kill('SIGTERM');
}
