import type { Identity } from '@baas/auth';
import { isUuid } from '@baas/server';
import { tenantStatusOf, type TenantStanding } from '../domain/standing';
import type { IdentityDeps } from './deps';

/** A tenant's status and mode (permissions: internal services only); null when no such tenant exists, or the id is malformed. */
export async function readTenantStanding(deps: Pick<IdentityDeps, 'stores'>, _identity: Identity | null, args: { tenantId: string }): Promise<TenantStanding | null> {
  if (!isUuid(args.tenantId)) return null;
  const row = await deps.stores.tenants.find(args.tenantId.toLowerCase());
  return row ? { tenantId: row.id, status: tenantStatusOf(row.status), sandbox: row.sandbox } : null;
}
