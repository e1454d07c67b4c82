import { decodeTimeIdCursor, derivedUuid, encodeTimeIdCursor } from '@baas/server';
import { Prisma, type PaymentOrder as OrderModel, type PrismaClient } from '../generated/prisma/client';
import { type PaymentOrder, type PaymentOrderHistoryEntry, type PaymentOrderReturn, type PaymentOrderStep } from '../domain/payment-order';
import { DomainError } from '@baas/errors';
import { refundableRemaining } from '../domain/pix-refunds';
import { eventJson, type PaymentEvent } from './payment-events';

/** A row of payments.payment_order as Prisma reads it. */
export type PaymentOrderRow = OrderModel;

/** What an order row holds besides the domain's order. */
export type NewOrderRow = Omit<PaymentOrderRow, 'counterparty' | 'railData' | 'state' | 'hold' | 'scheduledFor' | 'denialReason' | 'failureReason' | 'returnedAmount' | 'returns' | 'history' | 'version' | 'attempts' | 'createdAt' | 'updatedAt' | 'settledAt' | 'rail' | 'amount' | 'currency' | 'id'> & {
  counterparty: Prisma.InputJsonValue;
  railData: Prisma.InputJsonValue;
};

/** Changes besides the domain order's that a transition writes. */
export type OrderExtras = { endToEndId?: string; nextAttemptAt?: Date | null; attempts?: number; railData?: Prisma.InputJsonValue; settledAt?: Date };

/** States of a return that gave nothing back (it does not count against the original). */
const GAVE_NOTHING_BACK = ['FAILED', 'CANCELLED', 'DENIED'];

/**
 * Refunds and MED returns of one order, serialised: the original's row is locked while the live
 * returns are summed, so concurrent ones can never together exceed it (REFUND_EXCEEDS_ORIGINAL).
 * `id` (the new return, or its replay) is not counted against itself.
 */
async function guardReturnTotal(tx: Prisma.TransactionClient, originalId: string, id: string, amount: bigint): Promise<void> {
  const [original] = await tx.$queryRaw<{ amount: bigint }[]>`SELECT amount FROM payments.payment_order WHERE id = ${originalId}::uuid FOR UPDATE`;
  if (!original) return;
  const [sum] = await tx.$queryRaw<{ total: bigint | null }[]>`SELECT sum(amount)::bigint AS total FROM payments.payment_order WHERE return_of_id = ${originalId}::uuid AND id <> ${id}::uuid AND state <> ALL(${GAVE_NOTHING_BACK}::text[])`;
  const remaining = refundableRemaining(original.amount, sum?.total ? [sum.total] : []);
  if (amount > remaining) throw new DomainError('BAD_USER_INPUT', 'The refunds would sum above the original payment.', { field: 'amount', reason: 'REFUND_EXCEEDS_ORIGINAL', remaining: remaining.toString() });
}

/** The domain order of a row. */
export function orderOf(row: PaymentOrderRow): PaymentOrder {
  const history = (row.history as { from: string; to: string; event: string; at: string }[]).map((h) => ({ ...h, at: new Date(h.at) }) as PaymentOrderHistoryEntry);
  const returns = (row.returns as { returnId: string; amount: string; reason: string; at: string }[]).map((r): PaymentOrderReturn => ({ returnId: r.returnId, amount: BigInt(r.amount), reason: r.reason, at: new Date(r.at) }));
  return {
    id: row.id,
    rail: row.rail as PaymentOrder['rail'],
    amount: row.amount,
    currency: row.currency,
    state: row.state as PaymentOrder['state'],
    hold: row.hold as PaymentOrder['hold'],
    scheduledFor: row.scheduledFor,
    denialReason: row.denialReason,
    failureReason: row.failureReason,
    returnedAmount: row.returnedAmount,
    returns,
    createdAt: row.createdAt,
    history,
  };
}

/** The columns of a domain order. */
function orderColumns(order: PaymentOrder) {
  return {
    state: order.state,
    hold: order.hold,
    scheduledFor: order.scheduledFor,
    denialReason: order.denialReason,
    failureReason: order.failureReason,
    returnedAmount: order.returnedAmount,
    returns: order.returns.map((r) => ({ returnId: r.returnId, amount: r.amount.toString(), reason: r.reason, at: r.at.toISOString() })),
    history: order.history.map((h) => ({ ...h, at: h.at.toISOString() })),
  };
}

/** The outbox events of a step: one per PUBLISH effect, ids derived from the order and its history length (a repeat writes nothing new). */
function publishedEvents(row: Pick<PaymentOrderRow, 'id' | 'tenantId' | 'customerId' | 'accountId' | 'direction' | 'kind' | 'rail' | 'amount' | 'currency' | 'endToEndId'>, step: PaymentOrderStep): PaymentEvent[] {
  return step.effects.flatMap((e) =>
    e.type === 'PUBLISH'
      ? [{
          eventId: derivedUuid(`payments:order:${row.id}:${step.order.history.length}:${e.to}`),
          subject: e.eventType,
          data: {
            orderId: row.id, tenantId: row.tenantId, customerId: row.customerId, accountId: row.accountId, direction: row.direction, kind: row.kind,
            rail: row.rail, amount: row.amount, currency: row.currency, endToEndId: row.endToEndId, from: e.from, to: e.to,
            ...(step.order.failureReason ? { failureReason: step.order.failureReason } : {}),
            ...(step.order.denialReason ? { denialReason: step.order.denialReason } : {}),
            returnedAmount: step.order.returnedAmount,
          },
        }]
      : [],
  );
}

/** A raw payments.payment_order row (snake_case, from RETURNING *) as the Prisma model. */
function fromSql(r: Record<string, unknown>): PaymentOrderRow {
  const json = (v: unknown) => v as Prisma.JsonValue;
  return {
    id: r.id as string,
    tenantId: r.tenant_id as string,
    customerId: r.customer_id as string,
    accountId: r.account_id as string,
    ledgerAccountId: r.ledger_account_id as string,
    direction: r.direction as string,
    rail: r.rail as string,
    kind: r.kind as string,
    amount: BigInt(r.amount as bigint),
    currency: r.currency as string,
    feeAmount: BigInt(r.fee_amount as bigint),
    state: r.state as string,
    hold: r.hold as string,
    scheduledFor: (r.scheduled_for as Date | null) ?? null,
    denialReason: (r.denial_reason as string | null) ?? null,
    failureReason: (r.failure_reason as string | null) ?? null,
    returnedAmount: BigInt(r.returned_amount as bigint),
    returns: json(r.returns),
    history: json(r.history),
    endToEndId: (r.end_to_end_id as string | null) ?? null,
    returnOfId: (r.return_of_id as string | null) ?? null,
    counterparty: json(r.counterparty),
    counterpartyAccountId: (r.counterparty_account_id as string | null) ?? null,
    pixKey: (r.pix_key as string | null) ?? null,
    chargeTxid: (r.charge_txid as string | null) ?? null,
    description: (r.description as string | null) ?? null,
    railData: json(r.rail_data),
    requestHash: r.request_hash as string,
    version: Number(r.version),
    attempts: Number(r.attempts),
    nextAttemptAt: (r.next_attempt_at as Date | null) ?? null,
    createdAt: r.created_at as Date,
    updatedAt: r.updated_at as Date,
    settledAt: (r.settled_at as Date | null) ?? null,
  };
}

const rowOrNull = (rows: Record<string, unknown>[]): PaymentOrderRow | null => (rows[0] ? fromSql(rows[0]) : null);

/**
 * `statement` (an INSERT or UPDATE ... RETURNING * of one order) with its events appended in the
 * same statement: a CTE feeds the written row into the outbox INSERT, so the events are written if
 * and only if the row was (a lost version or a taken id writes neither), in their order. One round
 * trip, no interactive transaction.
 */
function withEvents(statement: Prisma.Sql, events: readonly PaymentEvent[]): Prisma.Sql {
  if (events.length === 0) return statement;
  return Prisma.sql`
    WITH written AS (${statement}), appended AS (
      INSERT INTO payments.payment_event_outbox (event_id, subject, payload)
      SELECT e.event_id, e.subject, e.payload
      FROM written, unnest(${events.map((e) => e.eventId)}::uuid[], ${events.map((e) => e.subject)}::text[], ${events.map((e) => eventJson(e.data))}::text[])
        WITH ORDINALITY AS e(event_id, subject, payload, n)
      ORDER BY e.n
      ON CONFLICT DO NOTHING
    )
    SELECT * FROM written`;
}

/** Every statement on payments.payment_order. */
export function createPaymentOrderStore(db: PrismaClient) {
  return {
    findById: (id: string) => db.paymentOrder.findUnique({ where: { id } }),
    findByIds: (ids: readonly string[]) => db.paymentOrder.findMany({ where: { id: { in: [...ids] } } }),
    findByEndToEndId: (endToEndId: string, direction: 'OUT' | 'IN') => db.paymentOrder.findUnique({ where: { endToEndId_direction: { endToEndId, direction } } }),
    /** Orders giving money back for `originalId` (refunds, MED returns), oldest first. */
    findReturnsOf: (originalId: string) => db.paymentOrder.findMany({ where: { returnOfId: originalId }, orderBy: { createdAt: 'asc' } }),

    /**
     * Inserts a new order (its creation step's order and events) unless its id is taken (then null:
     * the caller replays what is there). `leaseMs`: the creating request drives it first.
     */
    async insert(fields: NewOrderRow & { id: string }, step: PaymentOrderStep, leaseMs: number | null): Promise<PaymentOrderRow | null> {
      const o = step.order;
      const c = orderColumns(o);
      const insert = Prisma.sql`
        INSERT INTO payments.payment_order (
          id, tenant_id, customer_id, account_id, ledger_account_id, direction, rail, kind, amount, currency, fee_amount,
          state, hold, scheduled_for, denial_reason, failure_reason, returned_amount, returns, history,
          end_to_end_id, return_of_id, counterparty, counterparty_account_id, pix_key, charge_txid, description, rail_data,
          request_hash, next_attempt_at, created_at, updated_at, settled_at)
        VALUES (
          ${fields.id}::uuid, ${fields.tenantId}::uuid, ${fields.customerId}::uuid, ${fields.accountId}::uuid, ${fields.ledgerAccountId}::uuid,
          ${fields.direction}, ${o.rail}, ${fields.kind}, ${o.amount}, ${o.currency}, ${fields.feeAmount},
          ${c.state}, ${c.hold}, ${c.scheduledFor}, ${c.denialReason}, ${c.failureReason}, ${c.returnedAmount},
          ${JSON.stringify(c.returns)}::jsonb, ${JSON.stringify(c.history)}::jsonb,
          ${fields.endToEndId}, ${fields.returnOfId}::uuid, ${JSON.stringify(fields.counterparty)}::jsonb, ${fields.counterpartyAccountId}::uuid,
          ${fields.pixKey}, ${fields.chargeTxid}, ${fields.description}, ${JSON.stringify(fields.railData)}::jsonb,
          ${fields.requestHash}, ${leaseMs === null ? null : new Date(Date.now() + leaseMs)}, ${o.createdAt}, ${o.createdAt},
          ${o.state === 'SETTLED' ? o.createdAt : null})
        ON CONFLICT DO NOTHING
        RETURNING *`;
      const statement = withEvents(insert, publishedEvents({ ...fields, rail: o.rail, amount: o.amount, currency: o.currency }, step));
      // A return is checked against what is left of its original under that row's lock (a transaction).
      if (!fields.returnOfId) return rowOrNull(await db.$queryRaw<Record<string, unknown>[]>(statement));
      const returnOfId = fields.returnOfId;
      return db.$transaction(async (tx) => {
        await guardReturnTotal(tx, returnOfId, fields.id, o.amount);
        return rowOrNull(await tx.$queryRaw<Record<string, unknown>[]>(statement));
      });
    },

    /**
     * Writes a transition (the step's order, its events, `extras`) if the row is still at `row.version`;
     * null when another writer moved it first (the caller reads it again). One statement.
     */
    async apply(row: PaymentOrderRow, step: PaymentOrderStep, extras: OrderExtras = {}): Promise<PaymentOrderRow | null> {
      const c = orderColumns(step.order);
      const sets = [
        Prisma.sql`state = ${c.state}`,
        Prisma.sql`hold = ${c.hold}`,
        Prisma.sql`scheduled_for = ${c.scheduledFor}`,
        Prisma.sql`denial_reason = ${c.denialReason}`,
        Prisma.sql`failure_reason = ${c.failureReason}`,
        Prisma.sql`returned_amount = ${c.returnedAmount}`,
        Prisma.sql`returns = ${JSON.stringify(c.returns)}::jsonb`,
        Prisma.sql`history = ${JSON.stringify(c.history)}::jsonb`,
        Prisma.sql`version = ${row.version + 1}`,
        Prisma.sql`updated_at = ${new Date()}`,
      ];
      if (extras.endToEndId !== undefined) sets.push(Prisma.sql`end_to_end_id = ${extras.endToEndId}`);
      if (extras.nextAttemptAt !== undefined) sets.push(Prisma.sql`next_attempt_at = ${extras.nextAttemptAt}`);
      if (extras.attempts !== undefined) sets.push(Prisma.sql`attempts = ${extras.attempts}`);
      if (extras.railData !== undefined) sets.push(Prisma.sql`rail_data = ${JSON.stringify(extras.railData)}::jsonb`);
      if (extras.settledAt !== undefined) sets.push(Prisma.sql`settled_at = ${extras.settledAt}`);
      const update = Prisma.sql`UPDATE payments.payment_order SET ${Prisma.join(sets)} WHERE id = ${row.id}::uuid AND version = ${row.version} RETURNING *`;
      const events = publishedEvents({ ...row, endToEndId: extras.endToEndId ?? row.endToEndId }, step);
      return rowOrNull(await db.$queryRaw<Record<string, unknown>[]>(withEvents(update, events)));
    },

    /** Sets when the processor looks at the order again (no state change), if still at `row.version`. */
    async schedule(row: PaymentOrderRow, nextAttemptAt: Date | null, attempts?: number): Promise<PaymentOrderRow | null> {
      return rowOrNull(
        await db.$queryRaw<Record<string, unknown>[]>`
          UPDATE payments.payment_order
          SET next_attempt_at = ${nextAttemptAt}, version = ${row.version + 1}, attempts = COALESCE(${attempts ?? null}::int, attempts)
          WHERE id = ${row.id}::uuid AND version = ${row.version}
          RETURNING *`,
      );
    },

    /** Replaces the order's rail data and makes it due now (a MED return released by its case), if still at `row.version`. */
    async releaseWith(row: PaymentOrderRow, railData: Prisma.InputJsonValue): Promise<PaymentOrderRow | null> {
      return rowOrNull(
        await db.$queryRaw<Record<string, unknown>[]>`
          UPDATE payments.payment_order SET rail_data = ${JSON.stringify(railData)}::jsonb, next_attempt_at = ${new Date()}, version = ${row.version + 1}
          WHERE id = ${row.id}::uuid AND version = ${row.version}
          RETURNING *`,
      );
    },

    /** Takes an order whose next attempt is due for `leaseMs` (nobody else drives it meanwhile); null when not due or taken. */
    async claim(id: string, leaseMs: number): Promise<PaymentOrderRow | null> {
      return rowOrNull(
        await db.$queryRaw<Record<string, unknown>[]>`
          UPDATE payments.payment_order SET next_attempt_at = now() + ${leaseMs}::int * interval '1 millisecond', version = version + 1
          WHERE id = ${id}::uuid AND next_attempt_at IS NOT NULL AND next_attempt_at <= now()
          RETURNING *`,
      );
    },

    /** Ids of orders whose next attempt is due, oldest first. */
    async due(limit: number): Promise<string[]> {
      const rows = await db.paymentOrder.findMany({ where: { nextAttemptAt: { lte: new Date() } }, orderBy: { nextAttemptAt: 'asc' }, take: limit, select: { id: true } });
      return rows.map((r) => r.id);
    },

    /** An account's orders, newest first, after the cursor. */
    async pageByAccount(accountId: string, first: number, after: string | null) {
      const c = after ? decodeTimeIdCursor(after) : null;
      const cursor = c ? { at: new Date(c.createdAt), id: c.id } : null;
      const rows = await db.paymentOrder.findMany({
        where: {
          accountId,
          ...(cursor ? { OR: [{ createdAt: { lt: cursor.at } }, { createdAt: cursor.at, id: { lt: cursor.id } }] } : {}),
        },
        orderBy: [{ createdAt: 'desc' }, { id: 'desc' }],
        take: first + 1,
      });
      const items = rows.slice(0, first);
      const last = items.at(-1);
      return { items, endCursor: last ? encodeTimeIdCursor(last) : null, hasNextPage: rows.length > first };
    },
  };
}

export type PaymentOrderStore = ReturnType<typeof createPaymentOrderStore>;
