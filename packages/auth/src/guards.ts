import { forbidden, notFound, unauthenticated, type DomainError } from '@baas/errors';
import type { Identity } from './identity';

/**
 * Small guards used by resolvers until the graphql-shield rule set lands (issue 4). Default deny:
 * every guard throws unless the identity is positively allowed.
 */
export function requireIdentity(identity: Identity | null): Identity {
  if (!identity) throw unauthenticated();
  return identity;
}

/** May this identity read or act on a resource owned by `owner`? */
export function canAccess(identity: Identity, owner: { tenantId: string; customerId?: string }): boolean {
  switch (identity.kind) {
    case 'operator':
    case 'service':
      return true;
    case 'api_client':
      return identity.tenantId === owner.tenantId;
    case 'customer':
      return identity.tenantId === owner.tenantId && owner.customerId !== undefined && identity.subject === owner.customerId;
  }
}

export function assertCanAccess(identity: Identity | null, owner: { tenantId: string; customerId?: string }): Identity {
  const who = requireIdentity(identity);
  if (!canAccess(who, owner)) throw forbidden();
  return who;
}

export function hasScope(identity: Identity, scope: string): boolean {
  return identity.scopes.includes(scope);
}

/**
 * The error for an id that does not exist: internal callers (operators, services) learn that it
 * does not exist; everyone else gets FORBIDDEN, as for an existing record they may not see, so ids
 * cannot be probed.
 */
export function missingRecord(who: Identity, what: string): DomainError {
  return who.kind === 'operator' || who.kind === 'service' ? notFound(what) : forbidden();
}
