import type { Identity } from '@baas/auth';
import { badInput, DomainError, forbidden } from '@baas/errors';
import { createOrReplay, legacyRequestHash, requestFingerprint } from '@baas/idempotency';
import { isUuid } from '@baas/server';
import type { Prisma, PrismaClient } from '../generated/prisma/client';
import type { PasskeyDeps } from '../services/passkey-service';
import { notifyCustomer } from './notify-customer';

export type PasskeyRecoveryRow = Awaited<ReturnType<PrismaClient['passkeyRecovery']['findUniqueOrThrow']>>;
export type RecoveryStatus = 'PENDING' | 'EFFECTIVE' | 'CANCELLED' | 'COMPLETED';

export function recoveryStatus(row: PasskeyRecoveryRow, now = new Date()): RecoveryStatus {
  if (row.cancelledAt) return 'CANCELLED';
  if (row.completedAt) return 'COMPLETED';
  return row.effectiveAt <= now ? 'EFFECTIVE' : 'PENDING';
}

const open = (customerId: string) => ({ customerId, cancelledAt: null, completedAt: null });

function requireCustomerIdentity(identity: Identity | null): Identity & { tenantId: string } {
  if (!identity || identity.kind !== 'customer' || !identity.tenantId) throw forbidden('Only a signed-in customer can do this.');
  return identity as Identity & { tenantId: string };
}

/**
 * A customer who lost every passkey asks to register a new one (issue 10 item 6). Idempotent by
 * `id`. The request is notified at once to the customer's verified channels and takes effect only
 * after PASSKEY_RECOVERY_DELAY_SECONDS; until it is used the customer can cancel it, and any
 * passkey assertion by the customer (sign-in or step-up) cancels it. One open recovery at a time:
 * another is CONFLICT (reason PASSKEY_RECOVERY_PENDING).
 */
export async function requestPasskeyRecovery(deps: Pick<PasskeyDeps, 'db' | 'vault' | 'changes'>, identity: Identity | null, id: string): Promise<PasskeyRecoveryRow> {
  const who = requireCustomerIdentity(identity);
  if (!isUuid(id)) throw badInput('id must be a UUID.', { field: 'id' });
  const recoveryId = id.toLowerCase();
  const hash = requestFingerprint('passkey-recovery/v1', { tenantId: who.tenantId, customerId: who.subject });
  const { row } = await createOrReplay({
    hash,
    // Rows written before @baas/idempotency.
    acceptedHashes: [legacyRequestHash(['passkey-recovery/v1', who.tenantId, who.subject])],
    storedHash: (row: PasskeyRecoveryRow) => row.requestHash,
    scope: (row) => row.tenantId === who.tenantId && row.customerId === who.subject,
    transaction: (work) =>
      deps.db.$transaction(async (tx) => {
        // One customer's recoveries are decided one at a time.
        await tx.$queryRaw`SELECT id FROM identity.customer WHERE id = ${who.subject}::uuid FOR UPDATE`;
        return work(tx);
      }),
    find: (tx: Prisma.TransactionClient) => tx.passkeyRecovery.findUnique({ where: { id: recoveryId } }),
    insert: async (tx) => {
      if (await tx.passkeyRecovery.findFirst({ where: open(who.subject), select: { id: true } })) {
        throw new DomainError('CONFLICT', 'A passkey recovery is already open.', { reason: 'PASSKEY_RECOVERY_PENDING' });
      }
      const effectiveAt = new Date(Date.now() + deps.changes.recoveryDelaySeconds * 1000);
      const created = await tx.passkeyRecovery.create({ data: { id: recoveryId, tenantId: who.tenantId, customerId: who.subject, effectiveAt, requestHash: hash } });
      await notifyCustomer(tx, deps.vault, { customerId: who.subject, template: 'passkey-recovery-requested', details: { recoveryId, effectiveAt: effectiveAt.toISOString() } });
      return created;
    },
  });
  return row;
}

/** The customer cancels their open recovery (idempotent: a cancelled one is returned as it is). */
export async function cancelPasskeyRecovery(deps: Pick<PasskeyDeps, 'db' | 'vault'>, identity: Identity | null, id: string): Promise<PasskeyRecoveryRow> {
  const who = requireCustomerIdentity(identity);
  const row = isUuid(id) ? await deps.db.passkeyRecovery.findUnique({ where: { id: id.toLowerCase() } }) : null;
  if (!row || row.customerId !== who.subject || row.tenantId !== who.tenantId) throw forbidden();
  if (row.cancelledAt) return row;
  if (row.completedAt) throw new DomainError('CONFLICT', 'This recovery was already used.', { reason: 'PASSKEY_RECOVERY_USED' });
  return deps.db.$transaction(async (tx) => {
    const cancelled = await tx.passkeyRecovery.update({ where: { id: row.id }, data: { cancelledAt: new Date() } });
    await notifyCustomer(tx, deps.vault, { customerId: who.subject, template: 'passkey-recovery-cancelled', details: { recoveryId: row.id, by: 'customer' } });
    return cancelled;
  });
}

/** Cancels the customer's open recoveries (a passkey was just used: the owner still holds one); notifies when any was open. */
export async function cancelPendingRecoveries(deps: Pick<PasskeyDeps, 'db' | 'vault'>, customerId: string, by: string): Promise<number> {
  const pending = await deps.db.passkeyRecovery.findMany({ where: open(customerId), select: { id: true } });
  if (pending.length === 0) return 0;
  return deps.db.$transaction(async (tx) => {
    const { count } = await tx.passkeyRecovery.updateMany({ where: { ...open(customerId), id: { in: pending.map((p) => p.id) } }, data: { cancelledAt: new Date() } });
    if (count > 0) await notifyCustomer(tx, deps.vault, { customerId, template: 'passkey-recovery-cancelled', details: { by } });
    return count;
  });
}

/** The customer's recovery that has waited out its delay and is neither cancelled nor used, if any. */
export async function effectiveRecovery(db: PrismaClient, customerId: string): Promise<PasskeyRecoveryRow | null> {
  return db.passkeyRecovery.findFirst({ where: { ...open(customerId), effectiveAt: { lte: new Date() } }, orderBy: { requestedAt: 'asc' } });
}
