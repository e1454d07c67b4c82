import { requireIdentity, type Identity } from '@baas/auth';
import { demand } from '@baas/authz';
import { mayListClients } from '../permissions';
import type { ApiClientRow } from '../store/api-client-store';
import type { IdentityDeps } from './deps';
import { requireAdministeredTenant } from './require-administered-tenant';

/** A tenant's API clients, oldest first: operators (naming the tenant), and the tenant's own clients with clients:write. */
export async function listApiClients(deps: Pick<IdentityDeps, 'stores' | 'loaders'>, identity: Identity | null, args: { tenantId?: string | null }): Promise<ApiClientRow[]> {
  const who = requireIdentity(identity);
  const tenantId = await requireAdministeredTenant(deps, who, args.tenantId);
  demand(mayListClients(who, tenantId));
  return deps.stores.apiClients.listOfTenant(tenantId);
}
