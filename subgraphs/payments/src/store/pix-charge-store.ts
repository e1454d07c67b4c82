import { derivedUuid } from '@baas/server';
import type { Prisma, PixCharge, PrismaClient } from '../generated/prisma/client';
import { appendPaymentEvents, type PaymentEvent } from './payment-events';

/** A row of payments.pix_charge. */
export type PixChargeRow = PixCharge;

/** A new charge (status ATIVA, revision 0). */
export type NewPixCharge = Pick<
  PixChargeRow,
  'id' | 'txid' | 'tenantId' | 'customerId' | 'accountId' | 'kind' | 'amount' | 'currency' | 'pixKey' | 'expiration' | 'dueDate' | 'description' | 'locationId' | 'requestHash' | 'createdAt'
> & { rules: Record<string, unknown> };

/**
 * What `conclude` did: CONCLUDED (ATIVA → CONCLUIDA now), REPLAYED (already concluded by this same
 * order: nothing changed), ALREADY_PAID (concluded by another order: the caller must not take the
 * money for it, e.g. refund it), NOT_ACTIVE (removed), NOT_FOUND.
 */
export type ConcludeResult =
  | { result: 'CONCLUDED' | 'REPLAYED' | 'ALREADY_PAID' | 'NOT_ACTIVE'; charge: PixChargeRow }
  | { result: 'NOT_FOUND'; charge: null };

/** What `remove` did: REMOVED (ATIVA → the given status now), NOT_ACTIVE (already paid or removed), NOT_FOUND. */
export type RemoveResult = { result: 'REMOVED' | 'NOT_ACTIVE'; charge: PixChargeRow } | { result: 'NOT_FOUND'; charge: null };

type Db = Pick<PrismaClient, 'pixCharge' | '$transaction'>;

/** The event data of a charge: ids, kind, status and amounts; never the key, the description or a name. */
function eventOf(row: PixChargeRow, subject: string, extra: Record<string, unknown> = {}): PaymentEvent {
  const name = subject.slice(subject.lastIndexOf('.') + 1);
  return {
    eventId: derivedUuid(`payments:pix-charge:${row.id}:${name}`),
    subject,
    data: {
      chargeId: row.id,
      txid: row.txid,
      tenantId: row.tenantId,
      customerId: row.customerId,
      accountId: row.accountId,
      kind: row.kind,
      status: row.status,
      amount: row.amount,
      currency: row.currency,
      dueDate: row.dueDate,
      ...extra,
    },
  };
}

/**
 * Every statement on payments.pix_charge. State changes append their event (payments.pix.charge.
 * created / concluded / removed) to the outbox in the same transaction, and bump `revision`.
 */
export function createPixChargeStore(db: Db) {
  return {
    /** The charge under its id (the creating request's idempotency key). */
    findById(id: string): Promise<PixChargeRow | null> {
      return db.pixCharge.findUnique({ where: { id } });
    },

    /** The charge with this txid (unique at this PSP). */
    findByTxid(txid: string): Promise<PixChargeRow | null> {
      return db.pixCharge.findUnique({ where: { txid } });
    },

    /** The charge served at this location id. */
    findByLocationId(locationId: string): Promise<PixChargeRow | null> {
      return db.pixCharge.findUnique({ where: { locationId } });
    },

    /**
     * Inserts a new ATIVA charge and its `created` event. A taken id, txid or location id throws the
     * unique violation (create-or-replay reads the winner; the use case names a taken txid).
     */
    async insert(charge: NewPixCharge): Promise<PixChargeRow> {
      return db.$transaction(async (tx) => {
        const row = await tx.pixCharge.create({ data: { ...charge, rules: charge.rules as Prisma.InputJsonValue, status: 'ATIVA', revision: 0 } });
        await appendPaymentEvents(tx, [eventOf(row, 'payments.pix.charge.created')]);
        return row;
      });
    },

    /**
     * Marks an ATIVA charge paid by `orderId` (idempotent; see ConcludeResult). Runs in `tx` when the
     * caller passes its transaction (the order's settlement), else in its own.
     */
    async conclude(txid: string, paid: { orderId: string; amount: bigint; at: Date }, tx?: Prisma.TransactionClient): Promise<ConcludeResult> {
      const work = async (t: Prisma.TransactionClient): Promise<ConcludeResult> => {
        const { count } = await t.pixCharge.updateMany({
          where: { txid, status: 'ATIVA' },
          data: { status: 'CONCLUIDA', paidOrderId: paid.orderId, paidAmount: paid.amount, paidAt: paid.at, revision: { increment: 1 } },
        });
        const row = await t.pixCharge.findUnique({ where: { txid } });
        if (!row) return { result: 'NOT_FOUND', charge: null };
        if (count === 1) {
          await appendPaymentEvents(t, [eventOf(row, 'payments.pix.charge.concluded', { orderId: paid.orderId, paidAmount: paid.amount, paidAt: paid.at.toISOString() })]);
          return { result: 'CONCLUDED', charge: row };
        }
        if (row.status !== 'CONCLUIDA') return { result: 'NOT_ACTIVE', charge: row };
        return { result: row.paidOrderId === paid.orderId ? 'REPLAYED' : 'ALREADY_PAID', charge: row };
      };
      return tx ? work(tx) : db.$transaction(work);
    },

    /** ATIVA → `status` (the receiver's or our removal) with its `removed` event. */
    async remove(txid: string, status: 'REMOVIDA_PELO_USUARIO_RECEBEDOR' | 'REMOVIDA_PELO_PSP'): Promise<RemoveResult> {
      return db.$transaction(async (tx) => {
        const { count } = await tx.pixCharge.updateMany({ where: { txid, status: 'ATIVA' }, data: { status, revision: { increment: 1 } } });
        const row = await tx.pixCharge.findUnique({ where: { txid } });
        if (!row) return { result: 'NOT_FOUND', charge: null };
        if (count === 0) return { result: 'NOT_ACTIVE', charge: row };
        await appendPaymentEvents(tx, [eventOf(row, 'payments.pix.charge.removed')]);
        return { result: 'REMOVED', charge: row };
      });
    },
  };
}

export type PixChargeStore = ReturnType<typeof createPixChargeStore>;
