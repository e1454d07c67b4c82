import type { Identity } from '@baas/auth';
import { DomainError, notFound } from '@baas/errors';
import { isUuid } from '@baas/server';

/** The one answer for an unknown or malformed tenant id, everywhere in identity: nothing is written. */
export const tenantNotFound = () => notFound('Tenant');
/** A SUSPENDED tenant's principals get no new tokens and act on nothing. */
export const tenantSuspended = () => new DomainError('TENANT_SUSPENDED');

/** A tenant id as stored (lower case), or NOT_FOUND when it cannot be one. */
export function tenantIdOf(value: unknown): string {
  if (typeof value !== 'string' || !isUuid(value)) throw tenantNotFound();
  return value.toLowerCase();
}

type TenantLike = { id: string; status: string };

/**
 * The rule behind every identity entry point that names a tenant: the tenant must exist (else
 * NOT_FOUND, malformed ids included) and, for `active` (anything a tenant's principal does, and
 * every token issued), be ACTIVE (else TENANT_SUSPENDED). Operators may still read and manage a
 * suspended tenant (`active: false`).
 */
export function checkTenant<T extends TenantLike>(row: T | null | undefined, opts: { active: boolean }): T {
  if (!row) throw tenantNotFound();
  if (opts.active && row.status !== 'ACTIVE') throw tenantSuspended();
  return row;
}

/** Operators act on any tenant that exists; everyone else only while their own tenant is ACTIVE. */
export const mustBeActiveFor = (who: Identity | null) => !who || (who.kind !== 'operator' && who.kind !== 'service');

/** Finds and checks a tenant (see checkTenant). */
export async function requireTenant<T extends TenantLike>(load: (id: string) => Promise<T | null>, tenantId: unknown, opts: { active: boolean }): Promise<T> {
  const id = tenantIdOf(tenantId);
  return checkTenant(await load(id), opts);
}
