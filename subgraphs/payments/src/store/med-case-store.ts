import { derivedUuid } from '@baas/server';
import type { MedCase, PrismaClient } from '../generated/prisma/client';
import { appendPaymentEvents } from './payment-events';

/** A row of payments.med_case. */
export type MedCaseRow = MedCase;

/** Every statement on payments.med_case. */
export function createMedCaseStore(db: PrismaClient) {
  const event = (row: MedCaseRow, status: string) => ({
    eventId: derivedUuid(`payments:med:${row.id}:${status}`),
    subject: `payments.pix.med.${status.toLowerCase()}`,
    data: { medCaseId: row.id, orderId: row.orderId, tenantId: row.tenantId, customerId: row.customerId, blockedAmount: row.blockedAmount, currency: row.currency, status },
  });
  return {
    findById: (id: string) => db.medCase.findUnique({ where: { id } }),
    findByIds: (ids: readonly string[]) => db.medCase.findMany({ where: { id: { in: [...ids] } } }),
    /** A customer's cases (as reporter), newest first. */
    listForCustomer: (tenantId: string, customerId: string) => db.medCase.findMany({ where: { tenantId, customerId }, orderBy: { createdAt: 'desc' }, take: 50 }),
    /** The cases against an account (as receiver), newest first. */
    listForReceiverAccount: (accountId: string) => db.medCase.findMany({ where: { receiverAccountId: accountId }, orderBy: { createdAt: 'desc' }, take: 50 }),
    /** Opens a case unless its id is taken (then null); the event in the same transaction. */
    async insert(c: Omit<MedCaseRow, 'createdAt' | 'resolvedAt' | 'status' | 'block'>): Promise<MedCaseRow | null> {
      return db.$transaction(async (tx) => {
        const rows = await tx.medCase.createManyAndReturn({ data: [{ ...c, status: 'OPEN', block: 'PLACED' }], skipDuplicates: true });
        if (!rows[0]) return null;
        await appendPaymentEvents(tx, [event(rows[0], 'OPENED')]);
        return rows[0];
      });
    },
    /** OPEN → ACCEPTED or REJECTED, once; null when it was resolved already. */
    async resolve(id: string, status: 'ACCEPTED' | 'REJECTED'): Promise<MedCaseRow | null> {
      return db.$transaction(async (tx) => {
        const { count } = await tx.medCase.updateMany({ where: { id, status: 'OPEN' }, data: { status, resolvedAt: new Date(), block: status === 'ACCEPTED' ? 'POSTED' : 'VOIDED' } });
        if (count === 0) return null;
        const row = await tx.medCase.findUniqueOrThrow({ where: { id } });
        await appendPaymentEvents(tx, [event(row, status)]);
        return row;
      });
    },
  };
}

export type MedCaseStore = ReturnType<typeof createMedCaseStore>;
