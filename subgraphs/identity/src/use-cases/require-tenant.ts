import { isUuid } from '@baas/server';
import { checkTenant, tenantNotFound } from '../domain/tenant-rules';
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
