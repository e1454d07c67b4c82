import type { PasskeyRecovery } from '../generated/prisma/client';
import type { Db } from './db';

export type PasskeyRecoveryRow = PasskeyRecovery;

const open = (customerId: string) => ({ customerId, cancelledAt: null, completedAt: null });

/** Every statement on identity.passkey_recovery. */
export function createPasskeyRecoveryStore(db: Db) {
  return {
    find: (id: string) => db.passkeyRecovery.findUnique({ where: { id } }),
    /** Whether the customer has a recovery neither cancelled nor used. */
    hasOpen: async (customerId: string) => (await db.passkeyRecovery.findFirst({ where: open(customerId), select: { id: true } })) !== null,
    openIds: async (customerId: string) => (await db.passkeyRecovery.findMany({ where: open(customerId), select: { id: true } })).map((r) => r.id),
    insert: (data: { id: string; tenantId: string; customerId: string; effectiveAt: Date; requestHash: string }) => db.passkeyRecovery.create({ data }),
    cancel: (id: string) => db.passkeyRecovery.update({ where: { id }, data: { cancelledAt: new Date() } }),
    /** Cancels those of `ids` that are still open; returns how many. */
    cancelOpen: async (customerId: string, ids: string[]) =>
      (await db.passkeyRecovery.updateMany({ where: { ...open(customerId), id: { in: ids } }, data: { cancelledAt: new Date() } })).count,
    /** The customer's recovery that has waited out its delay and is neither cancelled nor used, if any. */
    effective: (customerId: string) => db.passkeyRecovery.findFirst({ where: { ...open(customerId), effectiveAt: { lte: new Date() } }, orderBy: { requestedAt: 'asc' } }),
    /** Uses an effective recovery (conditional UPDATE): false when it was cancelled, used or is not effective. */
    complete: async (id: string, customerId: string) =>
      (
        await db.$queryRaw<{ id: string }[]>`
          UPDATE identity.passkey_recovery SET completed_at = now()
           WHERE id = ${id}::uuid AND customer_id = ${customerId}::uuid
             AND cancelled_at IS NULL AND completed_at IS NULL AND effective_at <= now()
           RETURNING id::text AS id`
      ).length > 0,
  };
}

export type PasskeyRecoveryStore = ReturnType<typeof createPasskeyRecoveryStore>;
