import type { Payment, PrismaClient } from '../generated/prisma/client';

/** A payment as stored (the Prisma model of payments.payment). */
export type PaymentRow = Payment;

/** Every statement about payments in the payments database. */
export function createPaymentStore(db: PrismaClient) {
  return {
    findByIds(ids: readonly string[]): Promise<PaymentRow[]> {
      return db.payment.findMany({ where: { id: { in: [...ids] } } });
    },
  };
}

export type PaymentStore = ReturnType<typeof createPaymentStore>;
