import type { IdentityDeps } from './deps';
import { notifyCustomer } from './notify-customer';

/** Cancels the customer's open recoveries (a passkey was just used: the owner still holds one); notifies when any was open. */
export async function cancelPendingRecoveries(deps: Pick<IdentityDeps, 'stores' | 'vault'>, customerId: string, by: string): Promise<number> {
  const pending = await deps.stores.recoveries.openIds(customerId);
  if (pending.length === 0) return 0;
  return deps.stores.transaction(async (tx) => {
    const count = await tx.recoveries.cancelOpen(customerId, pending);
    if (count > 0) await notifyCustomer(tx, deps.vault, { customerId, template: 'passkey-recovery-cancelled', details: { by } });
    return count;
  });
}
