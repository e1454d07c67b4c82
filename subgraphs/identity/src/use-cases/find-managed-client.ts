import { requireIdentity, type Identity } from '@baas/auth';
import { forbidden } from '@baas/errors';
import { isUuid } from '@baas/server';
import { assertManagesClient, mustBeActiveFor } from '../permissions';
import type { ApiClientRow } from '../store/api-client-store';
import type { IdentityDeps } from './deps';
import { requireAdministeredTenant } from './require-administered-tenant';

/** An API client the caller may rotate or revoke (permissions: clientGrantRefusal); FORBIDDEN for unknown ids too. */
export async function findManagedClient(deps: Pick<IdentityDeps, 'stores' | 'loaders'>, identity: Identity | null, id: string): Promise<ApiClientRow> {
  const who = requireIdentity(identity);
  const client = isUuid(id) ? await deps.stores.apiClients.find(id.toLowerCase()) : null;
  if (!client) throw forbidden();
  assertManagesClient(who, client);
  if (mustBeActiveFor(who)) await requireAdministeredTenant(deps, who, client.tenantId);
  return client;
}
