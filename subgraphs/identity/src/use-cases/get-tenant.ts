import type { Identity } from '@baas/auth';
import { demand } from '@baas/authz';
import { maySeeTenant } from '../permissions';
import type { TenantRow } from '../store/tenant-store';
import type { IdentityDeps } from './deps';

/** A tenant as its own principals (and the platform) see it; null without a caller, FORBIDDEN for another tenant's. */
export async function getTenant(deps: Pick<IdentityDeps, 'loaders'>, identity: Identity | null, id: string): Promise<TenantRow | null> {
  if (!identity) return null;
  demand(maySeeTenant(identity, id));
  return deps.loaders.tenant.load(id);
}
