import { requireIdentity, type Identity } from '@baas/auth';
import { forbidden } from '@baas/errors';
import { assertMayRemovePasskey } from '../permissions';
import type { PasskeyRow } from '../store/passkey-store';
import type { IdentityDeps } from './deps';
import { assertCallerTenantActive } from './assert-caller-tenant-active';
import { notifyCustomer } from './notify-customer';

/**
 * Removes a passkey (permissions: assertMayRemovePasskey: its customer with a fresh passkey
 * confirmation, or an operator). The customer is notified; a repeat is harmless.
 */
export async function removePasskey(deps: Pick<IdentityDeps, 'stores' | 'vault' | 'passkeyChanges' | 'loaders'>, identity: Identity | null, args: { id: string }): Promise<PasskeyRow> {
  // A tenant's own principal acts only while its tenant is ACTIVE.
  await assertCallerTenantActive(deps, identity);
  const who = requireIdentity(identity);
  const row = typeof args.id === 'string' && args.id.length <= 1400 ? await deps.stores.passkeys.find(args.id) : null;
  if (!row) throw forbidden();
  assertMayRemovePasskey(who, row, deps.passkeyChanges.changeStepUpSeconds);
  if (row.removedAt) return row;
  return deps.stores.transaction(async (tx) => {
    const removed = await tx.passkeys.markRemoved(row.id);
    await notifyCustomer(tx, deps.vault, { customerId: row.customerId, template: 'passkey-removed', details: { nickname: row.nickname ?? '', by: who.kind } });
    return removed;
  });
}
