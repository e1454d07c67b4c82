// npx tsx bench/payments-order-write.ts [orders per block] [blocks] [concurrency]
// A payment order's writes up to SENT: its insert (CREATED, with payments.order.created) and three
// transitions (APPROVED, PENDING, SENT: each a versioned update with its event), as a PIX makes them:
//   now:    each one statement (payment-order-store.ts: the INSERT or UPDATE ... RETURNING * in a
//           CTE, the outbox INSERT selecting from it; the row mapped from RETURNING);
//   before: each a Prisma interactive transaction (BEGIN, the write, createMany of the event, a
//           re-read, COMMIT), reproduced here as it was.
// Blocks alternate between the two on one database; per order (4 writes): wall time (p50/p99),
// this process's CPU (the Prisma client) and PostgreSQL's CPU (every postgres process, from /proc).
import { createPrismaClient, uuidv7 } from '@baas/db';
import { createTestDatabase } from '@baas/testing';
import { createPaymentOrder, transition, type PaymentOrderEvent, type PaymentOrderStep } from '../subgraphs/payments/src/domain/payment-order';
import { PrismaClient, type Prisma } from '../subgraphs/payments/src/generated/prisma/client';
import { appendPaymentEvents } from '../subgraphs/payments/src/store/payment-events';
import { createPaymentOrderStore, orderOf, type NewOrderRow, type PaymentOrderRow } from '../subgraphs/payments/src/store/payment-order-store';
import { printBlocks, writeBlock, type BlockResult } from './write-blocks';

const PER_BLOCK = Number(process.argv[2] ?? 500);
const BLOCKS = Number(process.argv[3] ?? 4);
const CONCURRENCY = Number(process.argv[4] ?? 16);

const database = await createTestDatabase({ domains: ['payments'] });
const db = createPrismaClient(PrismaClient, database.url);
const store = createPaymentOrderStore(db);

const fields = (id: string): NewOrderRow & { id: string } => ({
  id,
  tenantId: uuidv7(),
  customerId: uuidv7(),
  accountId: uuidv7(),
  ledgerAccountId: uuidv7(),
  direction: 'OUT',
  kind: 'PAYMENT',
  feeAmount: 0n,
  endToEndId: `E99999999${Date.now()}${id.replace(/-/g, '').slice(-10)}`.slice(0, 32),
  returnOfId: null,
  counterparty: { name: 'Payee', ispb: '99999999' },
  counterpartyAccountId: null,
  pixKey: 'a6d48c8d-****-****-****-************',
  chargeTxid: null,
  description: 'bench',
  railData: {},
  requestHash: 'bench',
  nextAttemptAt: null,
});

type Store = { insert(f: NewOrderRow & { id: string }, step: PaymentOrderStep): Promise<PaymentOrderRow | null>; apply(row: PaymentOrderRow, step: PaymentOrderStep): Promise<PaymentOrderRow | null> };

/** The writes as they were before: interactive transactions (the same statements Prisma made then). */
const before: Store = {
  insert: (f, step) => {
    const o = step.order;
    return db.$transaction(async (tx) => {
      const rows = await tx.paymentOrder.createManyAndReturn({
        data: [{
          ...f, rail: o.rail, amount: o.amount, currency: o.currency, state: o.state, hold: o.hold, scheduledFor: o.scheduledFor, denialReason: o.denialReason,
          failureReason: o.failureReason, returnedAmount: o.returnedAmount, returns: [], history: o.history.map((h) => ({ ...h, at: h.at.toISOString() })) as Prisma.InputJsonValue,
          createdAt: o.createdAt, updatedAt: o.createdAt, settledAt: null, nextAttemptAt: new Date(Date.now() + 30_000),
        }],
        skipDuplicates: true,
      });
      const row = rows[0];
      if (!row) return null;
      await appendPaymentEvents(tx, [{ eventId: uuidv7(), subject: 'payments.order.created', data: { orderId: row.id, amount: row.amount } }]);
      return row;
    });
  },
  apply: (row, step) =>
    db.$transaction(async (tx) => {
      const o = step.order;
      const { count } = await tx.paymentOrder.updateMany({
        where: { id: row.id, version: row.version },
        data: { state: o.state, hold: o.hold, history: o.history.map((h) => ({ ...h, at: h.at.toISOString() })) as Prisma.InputJsonValue, version: row.version + 1, updatedAt: new Date() },
      });
      if (count === 0) return null;
      await appendPaymentEvents(tx, [{ eventId: uuidv7(), subject: `payments.order.${o.state.toLowerCase()}`, data: { orderId: row.id, amount: row.amount } }]);
      return tx.paymentOrder.findUniqueOrThrow({ where: { id: row.id } });
    }),
};
const now: Store = { insert: (f, step) => store.insert(f, step, 30_000), apply: (row, step) => store.apply(row, step) };

const STEPS: PaymentOrderEvent[] = [{ type: 'APPROVE' }, { type: 'HOLD_PLACED' }, { type: 'SENT_TO_RAIL' }];
async function life(s: Store): Promise<void> {
  const id = uuidv7();
  const created = createPaymentOrder({ id, rail: 'PIX', amount: 100n, currency: 'BRL', at: new Date() });
  let row = await s.insert(fields(id), created);
  for (const event of STEPS) {
    if (!row) throw new Error('lost');
    row = await s.apply(row, transition(orderOf(row), event, new Date()));
  }
  if (row?.state !== 'SENT') throw new Error(`ended ${row?.state}`);
}

const block = (name: string, s: Store) => writeBlock(name, PER_BLOCK, CONCURRENCY, () => life(s));

// Warm-up of both paths (plans, Prisma's engine), not reported.
await block('warm-up', before);
await block('warm-up', now);
const results: BlockResult[] = [];
for (let b = 0; b < BLOCKS; b++) results.push(await block(b % 2 === 0 ? 'before: interactive transactions' : 'now: one statement each', b % 2 === 0 ? before : now));

printBlocks(`A payment order's insert and three transitions, each with its event; ${PER_BLOCK} orders per block, ${CONCURRENCY} at a time, node ${process.version}`, 'order', results);
const [outbox] = await db.$queryRaw<{ n: bigint }[]>`SELECT count(*) AS n FROM payments.payment_event_outbox`;
console.log(`events written: ${outbox!.n} (four per order, ${4 * PER_BLOCK * (BLOCKS + 2)} expected)`);
await db.$disconnect();
await database.drop();
