// npx tsx bench/accounts-final-write.ts [sagas per block] [blocks] [concurrency]
// A transfer saga's final write, which carries its accounts.transfer.completed event to the outbox:
//   now:    one statement (saga-store.ts save: UPDATE ... RETURNING in a CTE, the outbox INSERT
//           selecting from it, so the event is written only when the fence held);
//   before: a Prisma interactive transaction (BEGIN, the UPDATE, createMany of the event, COMMIT),
//           reproduced here as it was.
// Blocks alternate between the two on one database; per write: wall time (p50/p99), this process's
// CPU (the Prisma client) and PostgreSQL's CPU (every postgres process, from /proc).
import { createPrismaClient, uuidv7 } from '@baas/db';
import { createTestDatabase } from '@baas/testing';
import { PrismaClient } from '../subgraphs/accounts/src/generated/prisma/client';
import { appendAccountEvents, transferFinalEvent } from '../subgraphs/accounts/src/store/account-events';
import { createSagaStore, type SagaRow } from '../subgraphs/accounts/src/store/saga-store';
import { printBlocks, writeBlock, type BlockResult } from './write-blocks';

const PER_BLOCK = Number(process.argv[2] ?? 1000);
const BLOCKS = Number(process.argv[3] ?? 4);
const CONCURRENCY = Number(process.argv[4] ?? 16);

const database = await createTestDatabase({ domains: ['accounts'] });
const db = createPrismaClient(PrismaClient, database.url);
const sagas = createSagaStore(db);

/** The final write as it was before: an interactive transaction, the UPDATE, then the event. */
async function before(saga: SagaRow): Promise<void> {
  await db.$transaction(async (tx) => {
    const rows = await tx.$queryRaw<Record<string, unknown>[]>`
      UPDATE accounts.transfer_saga
      SET state = 'POSTED', step = 'POST', failure_code = ${saga.failureCode}, updated_at = now(), lease_until = NULL
      WHERE id = ${saga.id}::uuid AND attempts = ${saga.fence}
      RETURNING *`;
    if (!rows[0]) throw new Error('fence lost');
    const event = transferFinalEvent({ ...saga, state: 'POSTED' });
    await appendAccountEvents(tx, [event!]);
  });
}

async function now(saga: SagaRow): Promise<void> {
  if (!(await sagas.save(saga, { status: 'SUCCEEDED', step: 'POST' }, 10_000))) throw new Error('fence lost');
}

/** Sagas ready for their final write (inserted and held, as a transfer is at its POST step). */
async function ready(n: number): Promise<SagaRow[]> {
  const out: SagaRow[] = [];
  for (let i = 0; i < n; i++) {
    const s = await sagas.insert({ id: uuidv7(), kind: 'TRANSFER', tenantId: uuidv7(), customerId: uuidv7(), fromAccountId: uuidv7(), toAccountId: uuidv7(), amount: 100n, currency: 'BRL', description: null, requestHash: 'bench' }, 60_000);
    out.push((await sagas.save(s!, { step: 'HOLD' }, 60_000))!);
  }
  return out;
}

async function block(name: string, write: (s: SagaRow) => Promise<void>): Promise<BlockResult> {
  const todo = await ready(PER_BLOCK);
  return writeBlock(name, todo.length, CONCURRENCY, (i) => write(todo[i]!));
}

// Warm-up of both paths (plans, Prisma's engine), not reported.
await block('warm-up', before);
await block('warm-up', now);
const results: BlockResult[] = [];
for (let b = 0; b < BLOCKS; b++) results.push(await block(b % 2 === 0 ? 'before: interactive transaction' : 'now: one statement', b % 2 === 0 ? before : now));

printBlocks(`A transfer saga's final write with its event, ${PER_BLOCK} per block, ${CONCURRENCY} at a time, node ${process.version}`, 'write', results);
const outbox = await db.$queryRaw<{ n: bigint }[]>`SELECT count(*) AS n FROM accounts.account_event_outbox`;
console.log(`events written: ${outbox[0]!.n} (one per final write, ${PER_BLOCK * (BLOCKS + 2)} expected)`);
await db.$disconnect();
await database.drop();
