import type { Identity } from '@baas/auth';
import { checkTenant } from '../domain/tenant-rules';
import { requireOperator } from '../permissions';
import type { TenantRow } from '../store/tenant-store';
import type { IdentityDeps } from './deps';
import { tenantIdOf } from './require-tenant';

/**
 * Suspends or reactivates a tenant (operators). A SUSPENDED tenant's principals get no new tokens
 * (client credentials, sign-in, refresh: TENANT_SUSPENDED) and other subgraphs refuse to act for it
 * (tenantStanding). Repeating it is harmless.
 */
export async function setTenantStatus(
  deps: Pick<IdentityDeps, 'stores'>,
  identity: Identity | null,
  args: { tenantId: unknown; status: 'ACTIVE' | 'SUSPENDED' },
): Promise<TenantRow> {
  requireOperator(identity);
  const id = tenantIdOf(args.tenantId);
  const tenant = checkTenant(await deps.stores.tenants.find(id), { active: false });
  if (tenant.status === args.status) return tenant;
  return deps.stores.tenants.update(id, { status: args.status });
}
