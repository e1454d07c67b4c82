import { requireIdentity, type Identity } from '@baas/auth';
import { badInput } from '@baas/errors';
import { isUuid } from '@baas/server';
import { checkTenant, tenantNotFound } from '../domain/tenant-rules';
import { administeredTenant, mustBeActiveFor } from '../permissions';
import type { TenantRow } from '../store/tenant-store';
import type { IdentityDeps } from './deps';

/** A tenant id as stored (lower case), or NOT_FOUND when it cannot be one. */
export function tenantIdOf(value: unknown): string {
  if (typeof value !== 'string' || !isUuid(value)) throw tenantNotFound();
  return value.toLowerCase();
}

/** Finds and checks a tenant (domain/tenant-rules checkTenant): NOT_FOUND, or TENANT_SUSPENDED for `active`. */
export async function requireTenant(deps: Pick<IdentityDeps, 'loaders'>, tenantId: unknown, opts: { active: boolean }): Promise<TenantRow> {
  return checkTenant(await deps.loaders.tenant.load(tenantIdOf(tenantId)), opts);
}

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

/** A tenant's own principal acts only while its tenant is ACTIVE (TENANT_SUSPENDED), operators always. UNAUTHENTICATED without a caller. */
export async function assertCallerTenantActive(deps: Pick<IdentityDeps, 'loaders'>, identity: Identity | null): Promise<void> {
  const who = requireIdentity(identity);
  if (mustBeActiveFor(who) && who.tenantId) await requireTenant(deps, who.tenantId, { active: true });
}
