// npm run bench:ledger — the ledger's write paths against a naive row-locking baseline, in one
// run, on the same PostgreSQL (a fresh, migrated database). Prints transfers/s and P50/P99 latency
// per scenario; the last line is the summary the issue asks for.
//   npm run bench:ledger -- [scale]   (scale 1 = the recorded run; 0.2 for a quick look)
import { randomUUID } from 'node:crypto';
import type pg from 'pg';
import { createPool, uuidv7 } from '@baas/db';
import { createLogger } from '@baas/observability';
import { createTestDatabase } from '@baas/testing';
import type { Identity } from '@baas/auth';
import type { TransferRequest } from '../subgraphs/ledger/src/domain/types';
import { createJournalStore } from '../subgraphs/ledger/src/store/journal-store';
import { createLedgerAccountStore } from '../subgraphs/ledger/src/store/ledger-account-store';
import { createLedgerAccounts } from '../subgraphs/ledger/src/use-cases/create-ledger-accounts';
import { verifyLedgerChain } from '../subgraphs/ledger/src/use-cases/verify-ledger-chain';
import { LedgerWriter } from '../subgraphs/ledger/src/workers/ledger-writer';
import { startBenchRelay, type RelayReport } from './ledger-relay';

const SCALE = Number(process.argv[2] ?? 1);
const ACCOUNTS = 1000;
const logger = createLogger({ service: 'bench', level: 'silent' });
/** The benchmark acts as an internal service (the ledger's writes are internal-only). */
const BENCH: Identity = { subject: 'ledger-bench', kind: 'service', tenantId: null, scopes: [] };

type Row = { name: string; transfers: number; seconds: number; latencies: number[] };
const percentile = (sorted: number[], p: number) => sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))] ?? 0;
const rate = (r: Row) => r.transfers / r.seconds;

function print(r: Row): void {
  const sorted = [...r.latencies].sort((a, b) => a - b);
  console.log(
    `${r.name.padEnd(52)} ${String(r.transfers).padStart(8)} ${rate(r).toFixed(0).padStart(9)}/s  p50 ${percentile(sorted, 50).toFixed(2).padStart(8)} ms  p99 ${percentile(sorted, 99).toFixed(2).padStart(8)} ms`,
  );
}

/** Runs `clients` loops until `total` units are done; each unit's latency is recorded. */
async function drive(name: string, total: number, clients: number, perCall: number, call: () => Promise<void>): Promise<Row> {
  const latencies: number[] = [];
  let issued = 0;
  const started = process.hrtime.bigint();
  await Promise.all(
    Array.from({ length: clients }, async () => {
      while (issued < total) {
        issued += perCall;
        const t0 = process.hrtime.bigint();
        await call();
        latencies.push(Number(process.hrtime.bigint() - t0) / 1e6);
      }
    }),
  );
  const seconds = Number(process.hrtime.bigint() - started) / 1e9;
  return { name, transfers: latencies.length * perCall, seconds, latencies };
}

const db = await createTestDatabase({ domains: ['ledger'] });
const pool = createPool(db.url, { max: 40 });
const batches = { count: 0, speculative: 0, transfers: 0 };
const writer = new LedgerWriter({
  pool,
  logger,
  onBatch: (b) => {
    batches.count += 1;
    batches.transfers += b.transfers;
    if (b.speculative) batches.speculative += 1;
  },
});

// Accounts: one funding account that may go negative, guarded customer accounts funded from it, one hot account.
const funding = randomUUID();
const hot = randomUUID();
const customers = Array.from({ length: ACCOUNTS }, () => randomUUID());
await createLedgerAccounts({ accounts: createLedgerAccountStore(pool) }, BENCH, { accounts: [
  { id: funding, tenantId: null, customerId: null, currency: 'BRL', code: 1, flags: 0 },
  { id: hot, tenantId: null, customerId: null, currency: 'BRL', code: 2, flags: 1 },
  ...customers.map((id) => ({ id, tenantId: null, customerId: null, currency: 'BRL', code: 100, flags: 1 })),
] });
await writer.submit([...customers, hot].map((id) => ({ kind: 'SINGLE', id: uuidv7(), debitAccountId: funding, creditAccountId: id, amount: 10_000_000_000n, currency: 'BRL', code: 1 })));

const pick = () => customers[Math.floor(Math.random() * customers.length)]!;
const randomTransfer = (): TransferRequest => {
  const debit = pick();
  let credit = pick();
  while (credit === debit) credit = pick();
  return { kind: 'SINGLE', id: uuidv7(), debitAccountId: debit, creditAccountId: credit, amount: BigInt(1 + Math.floor(Math.random() * 10_000)), currency: 'BRL', code: 10 };
};

// Warm-up (JIT, plans, caches).
await drive('warmup', 20_000, 8, 500, async () => void (await writer.submit(Array.from({ length: 500 }, randomTransfer))));

// The ledger's outbox relay runs from here through (a): caught up before (a), measured during it.
const relay = await startBenchRelay(pool, logger, db.url);
await relay?.relay.drain();
const rows: Row[] = [];
relay?.begin();
const cpuBefore = process.cpuUsage();
const wallBefore = process.hrtime.bigint();
rows.push(
  await drive('(a) batched: 16 clients x batches of 500', Math.round(200_000 * SCALE), 16, 500, async () => {
    await writer.submit(Array.from({ length: 500 }, randomTransfer));
  }),
);
const cpu = process.cpuUsage(cpuBefore);
const nodeBusy = (cpu.user + cpu.system) / 1000 / (Number(process.hrtime.bigint() - wallBefore) / 1e6);
const relayReport: RelayReport | undefined = await relay?.end();
await relay?.close();
rows.push(
  await drive('(b) one transfer per request, 64 clients', Math.round(40_000 * SCALE), 64, 1, async () => {
    await writer.submit([randomTransfer()]);
  }),
);

// (c) The naive baseline: per transfer, one transaction that locks both accounts (in id order, so
// it cannot deadlock), updates both balances and inserts two entries.
await pool.query(`
  CREATE TABLE bench_naive_account (id uuid PRIMARY KEY, balance bigint NOT NULL);
  CREATE TABLE bench_naive_entry (id bigserial PRIMARY KEY, transfer_id uuid NOT NULL, account_id uuid NOT NULL, amount bigint NOT NULL, created_at timestamptz NOT NULL DEFAULT now());
  INSERT INTO bench_naive_account SELECT id, credits_posted - debits_posted FROM ledger.ledger_account;
`);
async function naiveTransfer(client: pg.PoolClient, t: Extract<TransferRequest, { kind: 'SINGLE' | 'PENDING' }>): Promise<void> {
  await client.query('BEGIN');
  try {
    const [first, second] = t.debitAccountId < t.creditAccountId ? [t.debitAccountId, t.creditAccountId] : [t.creditAccountId, t.debitAccountId];
    const locked = await client.query<{ id: string; balance: string }>('SELECT id, balance FROM bench_naive_account WHERE id IN ($1, $2) ORDER BY id FOR UPDATE', [first, second]);
    const debit = locked.rows.find((r) => r.id === t.debitAccountId)!;
    if (BigInt(debit.balance) < t.amount) throw new Error('insufficient funds');
    await client.query('UPDATE bench_naive_account SET balance = balance - $2 WHERE id = $1', [t.debitAccountId, t.amount.toString()]);
    await client.query('UPDATE bench_naive_account SET balance = balance + $2 WHERE id = $1', [t.creditAccountId, t.amount.toString()]);
    await client.query('INSERT INTO bench_naive_entry (transfer_id, account_id, amount) VALUES ($1, $2, $3), ($1, $4, $5)', [t.id, t.debitAccountId, (-t.amount).toString(), t.creditAccountId, t.amount.toString()]);
    await client.query('COMMIT');
  } catch (error) {
    await client.query('ROLLBACK');
    throw error;
  }
}
rows.push(
  await drive('(c) naive: row locks, 1 transaction per transfer, 32 clients', Math.round(20_000 * SCALE), 32, 1, async () => {
    const client = await pool.connect();
    try {
      await naiveTransfer(client, randomTransfer() as Extract<TransferRequest, { kind: 'SINGLE' }>);
    } finally {
      client.release();
    }
  }),
);
rows.push(
  await drive('(d) hot account: every transfer debits one account, 64 clients', Math.round(40_000 * SCALE), 64, 1, async () => {
    await writer.submit([{ kind: 'SINGLE', id: uuidv7(), debitAccountId: hot, creditAccountId: pick(), amount: 1n, currency: 'BRL', code: 11 }]);
  }),
);
rows.push(
  await drive('(d\') hot account, naive baseline, 32 clients', Math.round(10_000 * SCALE), 32, 1, async () => {
    const client = await pool.connect();
    try {
      await naiveTransfer(client, { kind: 'SINGLE', id: uuidv7(), debitAccountId: hot, creditAccountId: pick(), amount: 1n, currency: 'BRL', code: 11 });
    } finally {
      client.release();
    }
  }),
);

const chain = await verifyLedgerChain({ journal: createJournalStore(pool) }, BENCH);
const [a, b, c, d, dNaive] = rows as [Row, Row, Row, Row, Row];
console.log(`\nledger benchmark, PostgreSQL 15 on loopback, ${ACCOUNTS} guarded accounts, node ${process.version}, scale ${SCALE}`);
console.log('every ledger transfer: idempotency check, balance guard, hash-chained journal entry, outbox event, one advisory lock per batch');
for (const r of rows) print(r);
if (relayReport) {
  const r = relayReport;
  console.log(`outbox relay during (a) (${r.settings}): ${r.eventsPerSecond.toFixed(0)} events/s beside ${rate(rows[0] as Row).toFixed(0)} transfers/s written; lag at the end: ${r.endWaiting} rows waiting, oldest ${r.endAgeSeconds.toFixed(2)} s; peak: ${r.peakWaiting} rows, ${r.peakAgeSeconds.toFixed(2)} s; caught up ${r.catchUpSeconds.toFixed(2)} s after (a)`);
  if (r.relayProcessCpuPercent !== undefined) console.log(`relay process CPU during (a): ${r.relayProcessCpuPercent.toFixed(0)}% of one core`);
  console.log(r.scraped);
}
console.log(`node process CPU during (a): ${(nodeBusy * 100).toFixed(0)}% of one core (the rest of the machine: PostgreSQL)`);
console.log(`writer: ${batches.count} batches, ${(batches.transfers / batches.count).toFixed(0)} transfers per batch on average, ${batches.speculative} prepared ahead of their lock (pipelined)`);
console.log(`journal verified: ${chain.ok ? 'ok' : 'BROKEN'} (${chain.checked} entries); naive hot-account baseline ${rate(dNaive).toFixed(0)}/s`);
await writer.close();
await pool.end();
await db.drop();
console.log(`ledger: batched ${rate(a).toFixed(0)}/s, naive ${rate(c).toFixed(0)}/s, ratio ${(rate(a) / rate(c)).toFixed(1)}, hot ${rate(d).toFixed(0)}/s`);
void b;
