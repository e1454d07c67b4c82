import { allow, rule, type IRule } from 'graphql-shield';
import { canAccess, type PrincipalKind } from '@baas/auth';
import { forbidden, unauthenticated, type DomainError } from '@baas/errors';
import type { AuthzContext, AuthzIdentity, Owner } from './context';
import { readPath } from './read-path';

/*
 * Every rule returns `true` or a DomainError, never `false` and never throws: graphql-shield turns a
 * thrown error into a plain `false` (and so loses the code), while a returned error travels through
 * and/or/chain/race up to the client with its stable `extensions.code`.
 *
 * Caching (graphql-shield keeps the cache on `context._shield`, one per request):
 * - 'contextual': the result depends only on the context (identity). Cached by rule name, so names
 *   must be unique per meaning: the parameterised rules below are memoised by their parameters.
 * - a key function over the arguments the rule reads, for rules that read arguments.
 * - 'no_cache': rules that read the parent object (a different object on every field).
 */

type Result = true | DomainError;

export function identityOf(ctx: unknown): AuthzIdentity | null {
  const identity = (ctx as Partial<AuthzContext> | null | undefined)?.identity;
  return identity ?? null;
}

/** The error for a caller that is not allowed: UNAUTHENTICATED without an identity, FORBIDDEN with one. */
export function denial(identity: AuthzIdentity | null): DomainError {
  return identity ? forbidden() : unauthenticated();
}

const memo = new Map<string, IRule>();
/** One rule instance per name: graphql-shield refuses two different rules with the same name in one tree. */
export function memoised(name: string, make: () => IRule): IRule {
  let found = memo.get(name);
  if (!found) {
    found = make();
    memo.set(name, found);
  }
  return found;
}

function identityRule(name: string, check: (identity: AuthzIdentity) => boolean): IRule {
  return rule(name, { cache: 'contextual' })((_parent, _args, ctx): Result => {
    const identity = identityOf(ctx);
    if (!identity) return unauthenticated();
    return check(identity) ? true : forbidden();
  });
}

function kindRule(name: string, ...kinds: PrincipalKind[]): IRule {
  return identityRule(name, (identity) => kinds.includes(identity.kind));
}

/** Any verified identity. */
export const isAuthenticated = identityRule('authz:isAuthenticated', () => true);
export const isCustomer = kindRule('authz:isCustomer', 'customer');
export const isOperator = kindRule('authz:isOperator', 'operator');
export const isApiClient = kindRule('authz:isApiClient', 'api_client');
export const isInternalService = kindRule('authz:isInternalService', 'service');
/** Platform operators and internal services. */
export const isInternal = kindRule('authz:isInternal', 'operator', 'service');

/** No check at all: sign-in and sign-up mutations, federation plumbing. Use sparingly; grep for it in review. */
export const publicField = allow;

/** The identity holds `scope`. */
export function hasScope(scope: string): IRule {
  return memoised(`authz:hasScope:${scope}`, () =>
    identityRule(`authz:hasScope:${scope}`, (identity) => identity.scopes.includes(scope)),
  );
}

/** The identity holds at least one of `scopes` (none given: always FORBIDDEN). */
export function hasAnyScope(...scopes: string[]): IRule {
  const key = `authz:hasAnyScope:${[...new Set(scopes)].sort().join(' ')}`;
  return memoised(key, () => identityRule(key, (identity) => scopes.some((scope) => identity.scopes.includes(scope))));
}

/** Cache key over one argument: rules reading it give the same answer for the same value. */
function argKey(argName: string) {
  return (_parent: unknown, args: unknown): string => {
    const value = readPath(args, argName);
    return typeof value === 'string' ? `s:${value}` : `t:${typeof value}`;
  };
}

/** A customer whose subject equals the argument `argName` (dotted paths such as 'input.customerId' work). */
export function isSelf(argName = 'id'): IRule {
  const name = `authz:isSelf:${argName}`;
  return memoised(name, () =>
    rule(name, { cache: argKey(argName) })((_parent, args, ctx): Result => {
      const identity = identityOf(ctx);
      if (!identity) return unauthenticated();
      const value = readPath(args, argName);
      return identity.kind === 'customer' && typeof value === 'string' && value === identity.subject ? true : forbidden();
    }),
  );
}

/**
 * The argument `argName` equals the caller's tenant. Operators and services carry no tenant and so do
 * not pass: combine with `or(isInternal, sameTenantAsArg('tenantId'))` where they should.
 */
export function sameTenantAsArg(argName: string): IRule {
  const name = `authz:sameTenantAsArg:${argName}`;
  return memoised(name, () =>
    rule(name, { cache: argKey(argName) })((_parent, args, ctx): Result => {
      const identity = identityOf(ctx);
      if (!identity) return unauthenticated();
      const value = readPath(args, argName);
      return identity.tenantId !== null && typeof value === 'string' && value === identity.tenantId ? true : forbidden();
    }),
  );
}

let ownsParentCount = 0;

/**
 * The IDOR rule, for the fields of entity types: the resolved parent object must belong to the caller
 * (canAccess from @baas/auth: operators and services everything, API clients their tenant, customers
 * their own records in their tenant). `getOwner` returning null (an object without a known owner)
 * denies, and so does a throwing `getOwner`. Put it on every field of every type a caller can reach
 * by id, `_entities` included: `{ Customer: { '*': ownsParent((c: CustomerRow) => c) } }`.
 *
 * Not cached: the parent is a different object on every field and the check is cheaper than hashing it.
 */
export function ownsParent<TParent = any>(getOwner: (parent: TParent) => Owner | null | undefined, name?: string): IRule {
  return rule(name ?? `authz:ownsParent#${++ownsParentCount}`, { cache: 'no_cache' })((parent, _args, ctx): Result => {
    const identity = identityOf(ctx);
    if (!identity) return unauthenticated();
    const owner = parent === null || parent === undefined ? null : getOwner(parent as TParent);
    if (!owner || typeof owner.tenantId !== 'string') return forbidden();
    return canAccess(identity, owner) ? true : forbidden();
  });
}

let inParentTenantCount = 0;

/**
 * For tenant-wide objects (the tenant itself, its public settings): any principal of the parent's
 * tenant, customers included, and operators and services. Not cached, as ownsParent.
 */
export function inParentTenant<TParent = any>(getTenantId: (parent: TParent) => string | null | undefined, name?: string): IRule {
  return rule(name ?? `authz:inParentTenant#${++inParentTenantCount}`, { cache: 'no_cache' })((parent, _args, ctx): Result => {
    const identity = identityOf(ctx);
    if (!identity) return unauthenticated();
    if (identity.kind === 'operator' || identity.kind === 'service') return true;
    const tenantId = parent === null || parent === undefined ? null : getTenantId(parent as TParent);
    return typeof tenantId === 'string' && identity.tenantId === tenantId ? true : forbidden();
  });
}
