import { canAccess, type Identity } from '@baas/auth';
import { forbidden } from '@baas/errors';
import type { Owner } from './context';

/*
 * Record-level predicates: the questions a rule tree cannot answer before a row is loaded ("may
 * this caller move money out of THIS account?"). Each subgraph composes them into named policies
 * in its permissions.ts, next to its rule tree, so who may do what is said once per subgraph and
 * nowhere else: use cases call those named policies and never test `who.kind` or `who.scopes`.
 */

/** Platform staff or an internal service: sees every tenant. */
export function isPlatform(who: Identity): boolean {
  return who.kind === 'operator' || who.kind === 'service';
}

/** A platform operator (a person at the platform, never a service). */
export function isPlatformOperator(who: Identity): boolean {
  return who.kind === 'operator';
}

/** An API client of `tenantId` holding `scope`. */
export function isTenantClientWith(who: Identity, tenantId: string, scope: string): boolean {
  return who.kind === 'api_client' && who.tenantId === tenantId && who.scopes.includes(scope);
}

/** The customer `customerId` of `tenantId`, signed in as themselves. */
export function isCustomerSelf(who: Identity, owner: Owner): boolean {
  return who.kind === 'customer' && who.tenantId === owner.tenantId && owner.customerId !== undefined && who.subject === owner.customerId;
}

/** Operators, or an API client of the tenant holding `scope`: who administers a tenant's resources. */
export function managesTenant(who: Identity, tenantId: string, scope: string): boolean {
  return who.kind === 'operator' || isTenantClientWith(who, tenantId, scope);
}

/** Reads: operators and services everything, API clients their tenant, customers their own records. */
export function mayRead(who: Identity, owner: Owner): boolean {
  return canAccess(who, owner);
}

/**
 * The tenant a call acts in. Operators name it (or leave it open: null); everyone else acts in their
 * own and may not name another (FORBIDDEN).
 */
export function actingTenant(who: Identity, named: string | null | undefined): string | null {
  if (who.kind === 'operator') return named ?? null;
  if (named != null && named.toLowerCase() !== who.tenantId) throw forbidden();
  return who.tenantId;
}

/** Throws FORBIDDEN unless `allowed`: `demand(mayRead(who, owner))`. */
export function demand(allowed: boolean): void {
  if (!allowed) throw forbidden();
}
