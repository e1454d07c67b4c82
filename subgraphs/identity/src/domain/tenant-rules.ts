import { DomainError, notFound } from '@baas/errors';

/** The one answer for an unknown or malformed tenant id, everywhere in identity: nothing is written. */
export const tenantNotFound = () => notFound('Tenant');
/** A SUSPENDED tenant's principals get no new tokens and act on nothing. */
export const tenantSuspended = () => new DomainError('TENANT_SUSPENDED');

type TenantLike = { id: string; status: string };

/**
 * The rule behind every identity entry point that names a tenant: the tenant must exist (else
 * NOT_FOUND, malformed ids included) and, for `active` (anything a tenant's principal does, and
 * every token issued), be ACTIVE (else TENANT_SUSPENDED). Operators may still read and manage a
 * suspended tenant (`active: false`; who must be active is said in permissions.ts, mustBeActiveFor).
 */
export function checkTenant<T extends TenantLike>(row: T | null | undefined, opts: { active: boolean }): T {
  if (!row) throw tenantNotFound();
  if (opts.active && row.status !== 'ACTIVE') throw tenantSuspended();
  return row;
}
