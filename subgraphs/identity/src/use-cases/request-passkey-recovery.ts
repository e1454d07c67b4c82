import type { Identity } from '@baas/auth';
import { badInput, DomainError } from '@baas/errors';
import { createOrReplay, legacyRequestHash, requestFingerprint } from '@baas/idempotency';
import { isUuid } from '@baas/server';
import { signedInCustomer } from '../permissions';
import type { IdentityTxStores } from '../store/identity-stores';
import type { PasskeyRecoveryRow } from '../store/passkey-recovery-store';
import type { IdentityDeps } from './deps';
import { assertCallerTenantActive } from './assert-caller-tenant-active';
import { notifyCustomer } from './notify-customer';

/**
 * A customer who lost every passkey asks to register a new one (issue 10 item 6). Idempotent by
 * `id`. The request is notified at once to the customer's verified channels and takes effect only
 * after PASSKEY_RECOVERY_DELAY_SECONDS; until it is used the customer can cancel it, and any
 * passkey assertion by the customer (sign-in or step-up) cancels it. One open recovery at a time:
 * another is CONFLICT (reason PASSKEY_RECOVERY_PENDING).
 */
export async function requestPasskeyRecovery(
  deps: Pick<IdentityDeps, 'stores' | 'vault' | 'passkeyChanges' | 'loaders'>,
  identity: Identity | null,
  args: { id: string },
): Promise<PasskeyRecoveryRow> {
  // A tenant's own principal acts only while its tenant is ACTIVE.
  await assertCallerTenantActive(deps, identity);
  const who = signedInCustomer(identity);
  if (!isUuid(args.id)) throw badInput('id must be a UUID.', { field: 'id' });
  const recoveryId = args.id.toLowerCase();
  const hash = requestFingerprint('passkey-recovery/v1', { tenantId: who.tenantId, customerId: who.subject });
  const { row } = await createOrReplay({
    hash,
    // Rows written before @baas/idempotency.
    acceptedHashes: [legacyRequestHash(['passkey-recovery/v1', who.tenantId, who.subject])],
    storedHash: (row: PasskeyRecoveryRow) => row.requestHash,
    scope: (row) => row.tenantId === who.tenantId && row.customerId === who.subject,
    transaction: (work) =>
      deps.stores.transaction(async (tx) => {
        // One customer's recoveries are decided one at a time.
        await tx.customers.lockForUpdate(who.subject);
        return work(tx);
      }),
    find: (tx: IdentityTxStores) => tx.recoveries.find(recoveryId),
    insert: async (tx) => {
      if (await tx.recoveries.hasOpen(who.subject)) {
        throw new DomainError('CONFLICT', 'A passkey recovery is already open.', { reason: 'PASSKEY_RECOVERY_PENDING' });
      }
      const effectiveAt = new Date(Date.now() + deps.passkeyChanges.recoveryDelaySeconds * 1000);
      const created = await tx.recoveries.insert({ id: recoveryId, tenantId: who.tenantId, customerId: who.subject, effectiveAt, requestHash: hash });
      await notifyCustomer(tx, deps.vault, { customerId: who.subject, template: 'passkey-recovery-requested', details: { recoveryId, effectiveAt: effectiveAt.toISOString() } });
      return created;
    },
  });
  return row;
}
