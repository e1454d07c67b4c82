import type { Identity } from '@baas/auth';
import { badInput } from '@baas/errors';
import { administeredTenant, mustBeActiveFor } from '../permissions';
import type { IdentityDeps } from './deps';
import { requireTenant } from './require-tenant';

/**
 * The tenant an administration call acts in (permissions: administeredTenant): it must exist
 * (NOT_FOUND) and, for a tenant's own principal, be ACTIVE (TENANT_SUSPENDED); BAD_USER_INPUT when
 * an operator names none.
 */
export async function requireAdministeredTenant(deps: Pick<IdentityDeps, 'loaders'>, who: Identity, named: string | null | undefined): Promise<string> {
  const tenantId = administeredTenant(who, named);
  if (tenantId == null) throw badInput('tenantId is required.', { field: 'tenantId' });
  return (await requireTenant(deps, tenantId, { active: mustBeActiveFor(who) })).id;
}
