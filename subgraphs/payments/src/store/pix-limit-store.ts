import { randomUUID } from 'node:crypto';
import type { PrismaClient } from '../generated/prisma/client';
import type { LimitChange, PixPeriod } from '../domain/pix-limits';

/** Every statement on payments.pix_limit_change and payments.pix_usage. */
export function createPixLimitStore(db: PrismaClient) {
  return {
    /** A customer's limit changes, oldest first. */
    async history(customerId: string): Promise<LimitChange[]> {
      const rows = await db.pixLimitChange.findMany({ where: { customerId }, orderBy: { requestedAt: 'asc' } });
      return rows.map((r) => ({ period: r.period as PixPeriod, amount: r.amount, requestedAt: r.requestedAt }));
    },
    /** Records a change (its effective time computed by the caller from the domain's rule). */
    async addChange(c: { tenantId: string; customerId: string; period: PixPeriod; amount: bigint; requestedAt: Date; effectiveAt: Date }): Promise<void> {
      await db.pixLimitChange.create({ data: { id: randomUUID(), ...c } });
    },
    /**
     * Adds `amount` to the customer's usage of (day, period) if it stays within `limit`, in one
     * statement (a conditional upsert: concurrent reservations never pass the limit together).
     * Returns false (nothing written) when it would not fit.
     */
    async reserve(customerId: string, day: string, period: PixPeriod, amount: bigint, limit: bigint): Promise<boolean> {
      if (amount > limit) return false;
      const rows = await db.$queryRaw<{ amount: bigint }[]>`
        INSERT INTO payments.pix_usage (customer_id, day, period, amount) VALUES (${customerId}::uuid, ${day}, ${period}, ${amount}::bigint)
        ON CONFLICT (customer_id, day, period) DO UPDATE SET amount = payments.pix_usage.amount + EXCLUDED.amount
        WHERE payments.pix_usage.amount + EXCLUDED.amount <= ${limit}::bigint
        RETURNING amount`;
      return rows.length > 0;
    },
    /** Gives a reservation back (a failed or cancelled PIX). */
    async release(customerId: string, day: string, period: PixPeriod, amount: bigint): Promise<void> {
      await db.$executeRaw`
        UPDATE payments.pix_usage SET amount = GREATEST(amount - ${amount}::bigint, 0)
        WHERE customer_id = ${customerId}::uuid AND day = ${day} AND period = ${period}`;
    },
    /** What the customer used of (day, period). */
    async used(customerId: string, day: string, period: PixPeriod): Promise<bigint> {
      const row = await db.pixUsage.findUnique({ where: { customerId_day_period: { customerId, day, period } } });
      return row?.amount ?? 0n;
    },
  };
}

export type PixLimitStore = ReturnType<typeof createPixLimitStore>;
