import { decodeTimeIdCursor, derivedUuid, encodeTimeIdCursor } from '@baas/server';
import type { PaymentOrder as OrderModel, Prisma, PrismaClient } from '../generated/prisma/client';
import { type PaymentOrder, type PaymentOrderHistoryEntry, type PaymentOrderReturn, type PaymentOrderStep } from '../domain/payment-order';
import { DomainError } from '@baas/errors';
import { refundableRemaining } from '../domain/pix-refunds';
import { appendPaymentEvents, type PaymentEvent } from './payment-events';

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
      return db.$transaction(async (tx) => {
        if (fields.returnOfId) await guardReturnTotal(tx, fields.returnOfId, fields.id, o.amount);
        const rows = await tx.paymentOrder.createManyAndReturn({
          data: [{
            ...fields,
            rail: o.rail,
            amount: o.amount,
            currency: o.currency,
            ...orderColumns(o),
            createdAt: o.createdAt,
            updatedAt: o.createdAt,
            settledAt: o.state === 'SETTLED' ? o.createdAt : null,
            nextAttemptAt: leaseMs === null ? null : new Date(Date.now() + leaseMs),
          }],
          skipDuplicates: true,
        });
        const row = rows[0];
        if (!row) return null;
        await appendPaymentEvents(tx, publishedEvents(row, step));
        return row;
      });
    },

    /**
     * Writes a transition (the step's order, its events, `extras`) if the row is still at `row.version`;
     * null when another writer moved it first (the caller reads it again).
     */
    async apply(row: PaymentOrderRow, step: PaymentOrderStep, extras: OrderExtras = {}): Promise<PaymentOrderRow | null> {
      return db.$transaction(async (tx) => {
        const { count } = await tx.paymentOrder.updateMany({
          where: { id: row.id, version: row.version },
          data: {
            ...orderColumns(step.order),
            version: row.version + 1,
            updatedAt: new Date(),
            ...(extras.endToEndId !== undefined ? { endToEndId: extras.endToEndId } : {}),
            ...(extras.nextAttemptAt !== undefined ? { nextAttemptAt: extras.nextAttemptAt } : {}),
            ...(extras.attempts !== undefined ? { attempts: extras.attempts } : {}),
            ...(extras.railData !== undefined ? { railData: extras.railData } : {}),
            ...(extras.settledAt !== undefined ? { settledAt: extras.settledAt } : {}),
          },
        });
        if (count === 0) return null;
        await appendPaymentEvents(tx, publishedEvents({ ...row, endToEndId: extras.endToEndId ?? row.endToEndId }, step));
        return tx.paymentOrder.findUniqueOrThrow({ where: { id: row.id } });
      });
    },

    /** Sets when the processor looks at the order again (no state change), if still at `row.version`. */
    async schedule(row: PaymentOrderRow, nextAttemptAt: Date | null, attempts?: number): Promise<PaymentOrderRow | null> {
      const { count } = await db.paymentOrder.updateMany({
        where: { id: row.id, version: row.version },
        data: { nextAttemptAt, version: row.version + 1, ...(attempts !== undefined ? { attempts } : {}) },
      });
      return count === 0 ? null : db.paymentOrder.findUnique({ where: { id: row.id } });
    },

    /** Replaces the order's rail data and makes it due now (a MED return released by its case), if still at `row.version`. */
    async releaseWith(row: PaymentOrderRow, railData: Prisma.InputJsonValue): Promise<PaymentOrderRow | null> {
      const { count } = await db.paymentOrder.updateMany({ where: { id: row.id, version: row.version }, data: { railData, nextAttemptAt: new Date(), version: row.version + 1 } });
      return count === 0 ? null : db.paymentOrder.findUnique({ where: { id: row.id } });
    },

    /** Takes an order whose next attempt is due for `leaseMs` (nobody else drives it meanwhile); null when not due or taken. */
    async claim(id: string, leaseMs: number): Promise<PaymentOrderRow | null> {
      const rows = await db.$queryRaw<{ id: string }[]>`
        UPDATE payments.payment_order SET next_attempt_at = now() + ${leaseMs}::int * interval '1 millisecond', version = version + 1
        WHERE id = ${id}::uuid AND next_attempt_at IS NOT NULL AND next_attempt_at <= now()
        RETURNING id`;
      return rows[0] ? db.paymentOrder.findUnique({ where: { id } }) : null;
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
