import type { Identity } from '@baas/auth';
import { requireIdentity } from '@baas/auth';
import { demand } from '@baas/authz';
import { badInput } from '@baas/errors';
import { parseStepUpRules } from '../domain/step-up-policy';
import { administeredTenant, mayAdminister, mustBeActiveFor } from '../permissions';
import type { TenantRow } from '../store/tenant-store';
import type { IdentityDeps } from './deps';
import { requireTenant } from './require-tenant';

/**
 * Sets a tenant's step-up policy (an operator, or the tenant's client with tenant:write). Setting a
 * policy is a replace: repeating it is harmless (idempotent by content). Unknown or malformed
 * tenant: NOT_FOUND, nothing written; a suspended tenant's own client changes nothing.
 */
export async function setStepUpPolicy(
  deps: Pick<IdentityDeps, 'stores' | 'loaders'>,
  identity: Identity | null,
  args: { tenantId?: string | null; rules: readonly { action: string; maxAgeSeconds: number; minAmountMinor?: string | null }[] },
): Promise<TenantRow> {
  const who = requireIdentity(identity);
  const named = administeredTenant(who, args.tenantId);
  if (named == null) throw badInput('tenantId is required.', { field: 'tenantId' });
  demand(mayAdminister(who, named, 'tenant:write'));
  const tenantId = (await requireTenant(deps, named, { active: mustBeActiveFor(who) })).id;
  const policy = parseStepUpRules(args.rules);
  return deps.stores.tenants.update(tenantId, { stepUpPolicy: policy });
}
