import { isFinalStatus, type SagaChange, type SagaStatus, type SagaStore } from '@baas/saga';
import { Prisma, type PrismaClient } from '../generated/prisma/client';
import { localDate, type Limits } from '../domain/limits';
import { customerScope, tenantScope } from './limits-store';
import { appendAccountEvents, eventJson, transferFinalEvent } from './account-events';

/**
 * Every statement on accounts.transfer_saga (transfers, sandbox fundings and FX executions) and its
 * row mapper, implementing @baas/saga's store port. Column contract: `attempts` is the fence (bumped
 * by every claim; every write names it), `lease_until` the lease and the next attempt time, and the
 * engine's status is mapped onto `state`/`step` as earlier versions wrote them:
 *   RUNNING       PENDING (nothing held yet), or HELD for a transfer past its hold (step HOLD, LIMITS)
 *   COMPENSATING  HELD at step VOID (a transfer); PENDING with a failure code (FX)
 *   SUCCEEDED     POSTED       COMPENSATED  VOIDED (a transfer), FAILED (FX)       FAILED  FAILED
 */

/** A row of accounts.transfer_saga as Prisma reads it. */
export type TransferSagaRow = Awaited<ReturnType<PrismaClient['transferSaga']['findUniqueOrThrow']>>;

/** A saga as use cases, the engine and the resolvers see it: the row, its engine status and its fence; `step` is the last step done. */
export type SagaRow = TransferSagaRow & { status: SagaStatus; fence: number };

export type SagaKind = 'TRANSFER' | 'FUNDING' | 'FX';
const FINAL_STATES = ['POSTED', 'VOIDED', 'FAILED'];

/** The engine's view of a row (earlier versions' step RISK, before the reservation, resumes at the reservation). */
function engineView(row: TransferSagaRow): SagaRow {
  const fence = row.attempts;
  switch (row.state) {
    case 'POSTED':
      return { ...row, status: 'SUCCEEDED', fence };
    case 'VOIDED':
      return { ...row, status: 'COMPENSATED', fence };
    case 'FAILED':
      return { ...row, status: 'FAILED', fence };
    case 'HELD':
      // Compensating: the reservation is still to give back while usage_day is set, then the hold.
      if (row.step === 'VOID') return { ...row, status: 'COMPENSATING', step: row.usageDay ? 'LIMITS' : 'HOLD', fence };
      return { ...row, status: 'RUNNING', step: row.step === 'RISK' || row.step === null ? 'HOLD' : row.step, fence };
    default:
      // PENDING: a failure code means a failed FX execution giving back its reservation (while usage_day is set).
      return row.failureCode ? { ...row, status: 'COMPENSATING', step: row.usageDay ? 'LIMITS' : null, fence } : { ...row, status: 'RUNNING', fence };
  }
}

/** The columns for an engine status. */
function columns(kind: string, status: SagaStatus, step: string | null): { state: string; step: string | null } {
  const transfer = kind === 'TRANSFER';
  switch (status) {
    case 'RUNNING':
      return { state: transfer && step !== null ? 'HELD' : 'PENDING', step };
    case 'COMPENSATING':
      return transfer ? { state: 'HELD', step: 'VOID' } : { state: 'PENDING', step };
    case 'SUCCEEDED':
      return { state: 'POSTED', step };
    case 'COMPENSATED':
      return transfer ? { state: 'VOIDED', step: 'VOID' } : { state: 'FAILED', step };
    case 'FAILED':
      return { state: 'FAILED', step };
  }
}

/** A raw accounts.transfer_saga row (snake_case) as the Prisma model. */
function fromSql(r: Record<string, unknown>): TransferSagaRow {
  return {
    id: r.id as string,
    kind: r.kind as string,
    tenantId: r.tenant_id as string,
    customerId: r.customer_id as string,
    fromAccountId: (r.from_account_id as string | null) ?? null,
    toAccountId: r.to_account_id as string,
    amount: BigInt(r.amount as bigint | string),
    currency: r.currency as string,
    description: (r.description as string | null) ?? null,
    state: r.state as string,
    step: (r.step as string | null) ?? null,
    failureCode: (r.failure_code as string | null) ?? null,
    usageDay: (r.usage_day as string | null) ?? null,
    quoteId: (r.quote_id as string | null) ?? null,
    requestHash: r.request_hash as string,
    attempts: Number(r.attempts),
    leaseUntil: (r.lease_until as Date | null) ?? null,
    createdAt: r.created_at as Date,
    updatedAt: r.updated_at as Date,
  };
}

const toSagaRow = (r: Record<string, unknown> | undefined): SagaRow | null => (r ? engineView(fromSql(r)) : null);

/** The client or a transaction: what a raw statement runs on. */
type Queryable = Pick<Prisma.TransactionClient, '$queryRaw'>;

/** A row just written in `tx`: when it is a transfer's final state, its event is appended (last, as the outbox asks). */
async function withFinalEvent(tx: Prisma.TransactionClient, raw: Record<string, unknown> | undefined): Promise<SagaRow | null> {
  if (!raw) return null;
  const row = fromSql(raw);
  const event = transferFinalEvent(row);
  if (event) await appendAccountEvents(tx, [event]);
  return engineView(row);
}

/** A new saga: created leased by the request that makes it (fence 1), or FAILED at once (`failed`: refused before anything moved). */
export type NewSaga = {
  id: string;
  kind: SagaKind;
  tenantId: string;
  customerId: string;
  fromAccountId: string | null;
  toAccountId: string;
  amount: bigint;
  currency: string;
  description: string | null;
  requestHash: string;
  quoteId?: string | null;
  failed?: string;
};

export function createSagaStore(db: PrismaClient) {
  const find = async (id: string) => {
    const row = await db.transferSaga.findUnique({ where: { id } });
    return row ? engineView(row) : null;
  };
  const secs = (ms: number) => Math.max(1, Math.ceil(ms / 1000));
  const port: SagaStore<SagaRow> = {
    find,
    async claim(id, leaseMs) {
      const rows = await db.$queryRaw<Record<string, unknown>[]>`
        UPDATE accounts.transfer_saga
        SET lease_until = now() + ${leaseMs}::int * interval '1 millisecond', attempts = attempts + 1, updated_at = now()
        WHERE id = ${id}::uuid AND state IN ('PENDING', 'HELD') AND (lease_until IS NULL OR lease_until < now())
        RETURNING *`;
      return toSagaRow(rows[0]);
    },
    async save(saga, change: SagaChange, leaseMs) {
      const status = change.status ?? saga.status;
      const { state, step } = columns(saga.kind, status, change.step === undefined ? saga.step : change.step);
      const failureCode = change.failureCode === undefined ? saga.failureCode : change.failureCode;
      const final = isFinalStatus(status);
      const update = Prisma.sql`
        UPDATE accounts.transfer_saga
        SET state = ${state}, step = ${step}, failure_code = ${failureCode}, updated_at = now(),
            lease_until = CASE WHEN ${final} THEN NULL ELSE now() + ${leaseMs}::int * interval '1 millisecond' END
        WHERE id = ${saga.id}::uuid AND attempts = ${saga.fence}
        RETURNING *`;
      // A transfer's final write carries its event (accounts.transfer.completed | failed), in one
      // statement: the event is known before the update (only state and failure code change), and
      // the outbox row is inserted only when the update matched (the fence held).
      const event = final && saga.kind === 'TRANSFER' ? transferFinalEvent({ ...saga, state, failureCode }) : null;
      if (!event) return toSagaRow((await db.$queryRaw<Record<string, unknown>[]>(update))[0]);
      const rows = await db.$queryRaw<Record<string, unknown>[]>`
        WITH saved AS (${update}), appended AS (
          INSERT INTO accounts.account_event_outbox (event_id, subject, payload)
          SELECT ${event.eventId}::uuid, ${event.subject}, ${eventJson(event.data)} FROM saved
          ON CONFLICT DO NOTHING
        )
        SELECT * FROM saved`;
      return toSagaRow(rows[0]);
    },
    async renew(saga, leaseMs) {
      const rows = await db.$queryRaw<Record<string, unknown>[]>`
        UPDATE accounts.transfer_saga SET lease_until = now() + ${leaseMs}::int * interval '1 millisecond'
        WHERE id = ${saga.id}::uuid AND attempts = ${saga.fence} AND state IN ('PENDING', 'HELD')
        RETURNING *`;
      return toSagaRow(rows[0]);
    },
    async release(saga, retryAt) {
      await db.$executeRaw`UPDATE accounts.transfer_saga SET lease_until = ${retryAt} WHERE id = ${saga.id}::uuid AND attempts = ${saga.fence}`;
    },
    async due(limit) {
      const rows = await db.$queryRaw<{ id: string }[]>`
        SELECT id FROM accounts.transfer_saga
        WHERE state IN ('PENDING', 'HELD') AND (lease_until IS NULL OR lease_until < now())
        ORDER BY updated_at LIMIT ${limit}`;
      return rows.map((r) => r.id);
    },
  };
  return {
    ...port,
    /** Whether a saga exists under this id (any kind). */
    async exists(id: string): Promise<boolean> {
      return (await db.transferSaga.findUnique({ where: { id }, select: { id: true } })) !== null;
    },
    /** Inserts the saga unless its id is taken (then null: the caller replays what is there). */
    async insert(s: NewSaga, leaseMs: number): Promise<SagaRow | null> {
      const state = s.failed ? 'FAILED' : 'PENDING';
      const lease = s.failed ? null : leaseMs;
      const insert = (q: Queryable) => q.$queryRaw<Record<string, unknown>[]>`
        INSERT INTO accounts.transfer_saga (id, kind, tenant_id, customer_id, from_account_id, to_account_id, amount, currency, description, state, failure_code, quote_id, request_hash, attempts, lease_until, updated_at)
        VALUES (${s.id}::uuid, ${s.kind}, ${s.tenantId}::uuid, ${s.customerId}::uuid, ${s.fromAccountId}::uuid, ${s.toAccountId}::uuid, ${s.amount}::bigint, ${s.currency}, ${s.description},
                ${state}, ${s.failed ?? null}, ${s.quoteId ?? null}::uuid, ${s.requestHash}, 1, CASE WHEN ${lease}::int IS NULL THEN NULL ELSE now() + ${lease}::int * interval '1 millisecond' END, now())
        ON CONFLICT (id) DO NOTHING RETURNING *`;
      // A transfer refused before anything moved is final at once: its accounts.transfer.failed goes with the insert.
      if (!(s.failed && s.kind === 'TRANSFER')) return toSagaRow((await insert(db))[0]);
      return db.$transaction(async (tx) => withFinalEvent(tx, (await insert(tx))[0]));
    },
    /**
     * Claims quote `quoteId` for execution `s.id` and creates the execution's saga (leased), in one
     * transaction. 'TAKEN' when the claim fails (another execution, the clock, or a concurrent request
     * with this id: the caller reads the quote again).
     */
    async insertClaimingQuote(s: NewSaga & { quoteId: string }, leaseMs: number): Promise<SagaRow | 'TAKEN'> {
      return db.$transaction(async (tx) => {
        const claimed = await tx.fxQuote.updateMany({ where: { id: s.quoteId, executedBy: null, expiresAt: { gt: new Date() } }, data: { executedBy: s.id } });
        if (claimed.count === 0) return 'TAKEN' as const;
        const row = await tx.transferSaga.create({
          data: {
            id: s.id, kind: s.kind, tenantId: s.tenantId, customerId: s.customerId, fromAccountId: s.fromAccountId, toAccountId: s.toAccountId,
            amount: s.amount, currency: s.currency, description: s.description, state: 'PENDING', quoteId: s.quoteId, requestHash: s.requestHash,
            attempts: 1, leaseUntil: new Date(Date.now() + leaseMs),
          },
        });
        return engineView(row);
      });
    },
    /**
     * Reserves a saga's amount against the daily usage of its customer and its tenant, exactly once,
     * in one statement (the SQL function accounts.reserve_saga_usage, the limits rule of migration
     * limit_rule): under the saga's lease it moves to step LIMITS with the usage day recorded and
     * both counters grown by conditional upserts that never pass a limit under concurrency; a
     * refusal (per transaction or per day) changes no counter and writes LIMIT_EXCEEDED (at step VOID
     * for a transfer, FAILED for FX). Returns the saga as written, or null when the lease was lost or
     * the saga is past that step.
     */
    async reserveUsage(saga: SagaRow, limits: Limits, leaseMs: number, now = new Date()): Promise<SagaRow | null> {
      const n = (v: bigint | null | undefined) => (v == null ? null : v.toString());
      const rows = await db.$queryRaw<Record<string, unknown>[]>`
        SELECT * FROM accounts.reserve_saga_usage(${saga.id}::uuid, ${saga.fence}::int, ${localDate(now)}, ${secs(leaseMs)}::int,
          ${n(limits.perDayCustomer)}::bigint, ${n(limits.perDayTenant)}::bigint, ${n(limits.perTransaction)}::bigint)`;
      return toSagaRow(rows[0]);
    },
    /** Gives a saga's reservation back, exactly once: clears its usage_day and decrements both counters in one transaction (a no-op when nothing is reserved). */
    async releaseUsage(saga: SagaRow): Promise<void> {
      await db.$transaction(async (tx) => {
        const locked = await tx.$queryRaw<{ usage_day: string | null }[]>`SELECT usage_day FROM accounts.transfer_saga WHERE id = ${saga.id}::uuid FOR UPDATE`;
        const day = locked[0]?.usage_day;
        if (!day) return;
        await tx.$executeRaw`UPDATE accounts.transfer_saga SET usage_day = NULL, updated_at = now() WHERE id = ${saga.id}::uuid`;
        for (const scope of [customerScope(saga.customerId), tenantScope(saga.tenantId)]) {
          await tx.$executeRaw`
            UPDATE accounts.daily_usage SET amount = GREATEST(amount - ${saga.amount}::bigint, 0)
            WHERE scope = ${scope} AND currency = ${saga.currency} AND day = ${day}`;
        }
      });
    },
    /** How many sagas debiting `accountId` were created in [from, to], `exceptId` aside (risk velocity). */
    countStartedFrom(accountId: string, exceptId: string, from: Date, to: Date): Promise<number> {
      return db.transferSaga.count({ where: { fromAccountId: accountId, id: { not: exceptId }, createdAt: { gte: from, lte: to } } });
    },
    /** Whether a saga in progress debits or credits the account (an account with one may not close). */
    async hasOpenFor(accountId: string): Promise<boolean> {
      return (await db.transferSaga.count({ where: { OR: [{ fromAccountId: accountId }, { toAccountId: accountId }], state: { in: ['PENDING', 'HELD'] } } })) > 0;
    },
  };
}

export type AccountsSagaStore = ReturnType<typeof createSagaStore>;

/** Whether a stored state is final (POSTED, VOIDED, FAILED). */
export const isFinalState = (state: string): boolean => FINAL_STATES.includes(state);
