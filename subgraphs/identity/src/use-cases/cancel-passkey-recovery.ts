import type { Identity } from '@baas/auth';
import { DomainError, forbidden } from '@baas/errors';
import { isUuid } from '@baas/server';
import { signedInCustomer } from '../permissions';
import type { PasskeyRecoveryRow } from '../store/passkey-recovery-store';
import type { IdentityDeps } from './deps';
import { notifyCustomer } from './notify-customer';

/** The customer cancels their open recovery (idempotent: a cancelled one is returned as it is; a used one is CONFLICT). */
export async function cancelPasskeyRecovery(deps: Pick<IdentityDeps, 'stores' | 'vault'>, identity: Identity | null, args: { id: string }): Promise<PasskeyRecoveryRow> {
  const who = signedInCustomer(identity);
  const row = isUuid(args.id) ? await deps.stores.recoveries.find(args.id.toLowerCase()) : null;
  if (!row || row.customerId !== who.subject || row.tenantId !== who.tenantId) throw forbidden();
  if (row.cancelledAt) return row;
  if (row.completedAt) throw new DomainError('CONFLICT', 'This recovery was already used.', { reason: 'PASSKEY_RECOVERY_USED' });
  return deps.stores.transaction(async (tx) => {
    const cancelled = await tx.recoveries.cancel(row.id);
    await notifyCustomer(tx, deps.vault, { customerId: who.subject, template: 'passkey-recovery-cancelled', details: { recoveryId: row.id, by: 'customer' } });
    return cancelled;
  });
}
