import { requireIdentity, type Identity } from '@baas/auth';
import { mustBeActiveFor } from '../permissions';
import type { IdentityDeps } from './deps';
import { requireTenant } from './require-tenant';

/** A tenant's own principal acts only while its tenant is ACTIVE (TENANT_SUSPENDED), operators always. UNAUTHENTICATED without a caller. */
export async function assertCallerTenantActive(deps: Pick<IdentityDeps, 'loaders'>, identity: Identity | null): Promise<void> {
  const who = requireIdentity(identity);
  if (mustBeActiveFor(who) && who.tenantId) await requireTenant(deps, who.tenantId, { active: true });
}
