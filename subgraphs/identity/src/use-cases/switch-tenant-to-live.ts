import type { Identity } from '@baas/auth';
import { DomainError } from '@baas/errors';
import { checkTenant } from '../domain/tenant-rules';
import { requireOperator } from '../permissions';
import type { TenantRow } from '../store/tenant-store';
import type { IdentityDeps } from './deps';
import { tenantIdOf } from './require-tenant';

/**
 * Sandbox to live, the only direction (operators): a tenant goes live only while it has no customers,
 * because play money (sandbox funding) must never become real money; live to sandbox never happens
 * (real customers' money must never become play money). Repeating it on a live tenant is harmless.
 * CONFLICT, reason TENANT_HAS_CUSTOMERS, otherwise.
 */
export async function switchTenantToLive(deps: Pick<IdentityDeps, 'stores'>, identity: Identity | null, args: { tenantId: unknown }): Promise<TenantRow> {
  requireOperator(identity);
  const id = tenantIdOf(args.tenantId);
  return deps.stores.transaction(async (tx) => {
    // Lock the tenant row: a customer created meanwhile (createCustomer locks it too) waits for this.
    const locked = await tx.tenants.lockForUpdate(id);
    const tenant = checkTenant(locked ? await tx.tenants.find(id) : null, { active: false });
    if (!tenant.sandbox) return tenant;
    if ((await tx.customers.countInTenant(id)) > 0) {
      throw new DomainError('CONFLICT', 'A tenant with customers cannot go live: its sandbox money must never become real money.', { reason: 'TENANT_HAS_CUSTOMERS' });
    }
    return tx.tenants.update(id, { sandbox: false });
  });
}
