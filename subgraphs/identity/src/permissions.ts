import { requireIdentity, type Identity } from '@baas/auth';
import {
  actingTenant,
  and,
  assertStepUpOrDefault,
  demand,
  hasScope,
  inParentTenant,
  isApiClient,
  isAuthenticated,
  isCustomer,
  isCustomerSelf,
  isInternalService,
  isOperator,
  isPlatform,
  isPlatformOperator,
  managesTenant,
  mayRead,
  or,
  ownsParent,
  publicField,
  type RuleTree,
} from '@baas/authz';
import { DomainError, forbidden } from '@baas/errors';
import type { CustomerRow } from './store/customer-store';
import type { TenantRow } from './store/tenant-store';

const operatorOrClientWith = (scope: string) => or(isOperator, and(isApiClient, hasScope(scope)));

/**
 * Who may resolve what in the identity subgraph (default deny: anything not named is refused).
 * Use cases re-check what they load by id with the named policies below; these rules are the outer wall.
 */
export const identityPermissions: RuleTree = {
  Query: {
    viewer: publicField, // null without a token
    me: publicField, // null unless the caller is a customer
    customer: isAuthenticated,
    tenant: isAuthenticated,
    apiClients: or(isOperator, isApiClient),
    sessions: or(isCustomer, isOperator),
    passkeys: isCustomer,
    signingKeys: isOperator,
    auditEvents: operatorOrClientWith('audit:read'),
    tenants: isOperator,
    // The contract with the other subgraphs: service principals only (a signed service assertion).
    customerStanding: isInternalService,
    tenantStanding: isInternalService,
  },
  Mutation: {
    // Sign-in and token endpoints: the caller has no token yet.
    clientCredentialsToken: publicField,
    refreshSession: publicField,
    logout: publicField,
    startSignIn: publicField,
    verifySignInCode: publicField,
    redeemMagicLink: publicField,
    startPasskeySignIn: publicField,
    finishPasskeySignIn: publicField,
    // A tenant's backend (or an operator) manages its clients, customers and policy.
    createApiClient: operatorOrClientWith('clients:write'),
    rotateApiClientSecret: operatorOrClientWith('clients:write'),
    revokeApiClient: operatorOrClientWith('clients:write'),
    createCustomer: operatorOrClientWith('customers:write'),
    setStepUpPolicy: operatorOrClientWith('tenant:write'),
    // The signed-in customer's own credentials and sessions.
    startPasskeyRegistration: isCustomer,
    finishPasskeyRegistration: isCustomer,
    removePasskey: or(isCustomer, isOperator),
    requestPasskeyRecovery: isCustomer,
    cancelPasskeyRecovery: isCustomer,
    // Tenant lifecycle: platform operators only.
    createTenant: isOperator,
    switchTenantToLive: isOperator,
    suspendTenant: isOperator,
    reactivateTenant: isOperator,
    startStepUp: isCustomer,
    finishStepUp: isCustomer,
    revokeSession: or(isCustomer, isOperator),
    rotateSigningKey: isOperator,
    // Internal services only: a code another service made, sent to the customer's own channel.
    sendCustomerCode: isInternalService,
  },
  // Entities: every field checks the object against the caller (IDOR wall, _entities included).
  Customer: { '*': ownsParent((c: CustomerRow) => ({ tenantId: c.tenantId, customerId: c.id }), 'identity:ownsCustomer') },
  Tenant: { '*': inParentTenant((t: TenantRow) => t.id, 'identity:inTenant') },
  // Values reachable only through the fields above.
  Viewer: publicField,
  AccessToken: publicField,
  SessionTokens: publicField,
  Session: publicField,
  ApiClient: publicField,
  ApiClientSecret: publicField,
  CreateCustomerResult: publicField,
  SignInChallenge: publicField,
  PasskeyChallenge: publicField,
  Passkey: publicField,
  SigningKeyInfo: publicField,
  StepUpRule: publicField,
  AuditEvent: publicField,
  AuditEventPage: publicField,
  CustomerStanding: publicField,
  CreateTenantResult: publicField,
  TenantPage: publicField,
  PasskeyRecovery: publicField,
  TenantStanding: publicField,
  // Only ever returned by sendCustomerCode, which is for internal services only.
  CustomerCodeDelivery: publicField,
};

/* ---- Record-level policies: the use cases ask these, never `who.kind` or `who.scopes`. ---- */

/** Operators act on any tenant that exists; everyone else (and nobody) only while the tenant is ACTIVE. */
export const mustBeActiveFor = (who: Identity | null): boolean => !who || !isPlatform(who);

/** Platform operators only (tenants, signing keys): FORBIDDEN otherwise, UNAUTHENTICATED without a caller. */
export function requireOperator(identity: Identity | null): Identity {
  const who = requireIdentity(identity);
  demand(isPlatformOperator(who));
  return who;
}

/** A signed-in customer of a tenant; FORBIDDEN for anyone else (and for nobody). */
export function signedInCustomer(identity: Identity | null): Identity & { tenantId: string } {
  if (!identity || identity.kind !== 'customer' || !identity.tenantId) throw forbidden('Only a signed-in customer can do this.');
  return identity as Identity & { tenantId: string };
}

/** As signedInCustomer, but UNAUTHENTICATED without a caller. */
export const requireCustomer = (identity: Identity | null) => signedInCustomer(requireIdentity(identity));

/** The customer the caller is (`me`), or null for any other principal. */
export const customerSelfId = (who: Identity | null): string | null => (who && who.kind === 'customer' ? who.subject : null);

/**
 * The tenant a tenant-administration call acts in (createApiClient, createCustomer, setStepUpPolicy):
 * an operator names it, anyone else acts in their own (FORBIDDEN when naming another); null when
 * nothing names one (the caller says BAD_USER_INPUT).
 */
export const administeredTenant = (who: Identity, named: string | null | undefined): string | null => actingTenant(who, named);

/** Operators, or the tenant's API client holding `scope` (customers:write, tenant:write, clients:write). */
export const mayAdminister = (who: Identity, tenantId: string, scope: string): boolean => managesTenant(who, tenantId, scope);

/** A tenant's own data (the `tenant` field and entity): the platform, or principals of that tenant. */
export const maySeeTenant = (who: Identity, tenantId: string): boolean => isPlatform(who) || who.tenantId === tenantId;

/** Reading a customer: operators and services all, API clients their tenant's, customers themselves. */
export const maySeeCustomer = (who: Identity, row: { tenantId: string; id: string }): boolean => mayRead(who, { tenantId: row.tenantId, customerId: row.id });

/** Whose sessions the caller lists: an operator names the subject (null: BAD_USER_INPUT), a customer only their own. */
export function sessionsSubject(who: Identity, named: string | null | undefined): { subject: string | null; tenantId?: string | null } {
  if (isPlatformOperator(who)) return { subject: named ?? null };
  if (who.kind === 'customer') {
    if (named && named !== who.subject) throw forbidden();
    return { subject: who.subject, tenantId: who.tenantId };
  }
  throw forbidden();
}

/** Revoking a session: its own customer, or an operator. */
export const mayRevokeSession = (who: Identity, session: { tenantId: string | null; subject: string }): boolean =>
  isPlatformOperator(who) || (session.tenantId !== null && isCustomerSelf(who, { tenantId: session.tenantId, customerId: session.subject }));

/**
 * Removing a passkey: operators (support) any; its customer with a fresh passkey confirmation
 * (REMOVE_PASSKEY: the tenant's rule, else `stepUpSeconds`), so a code session alone cannot strip the
 * owner's passkeys. FORBIDDEN (or STEP_UP_REQUIRED) otherwise.
 */
export function assertMayRemovePasskey(who: Identity, passkey: { tenantId: string; customerId: string }, stepUpSeconds: number): void {
  demand(mayRead(who, passkey));
  if (isPlatformOperator(who)) return;
  demand(isCustomerSelf(who, passkey));
  assertStepUpOrDefault(who, 'REMOVE_PASSKEY', { maxAgeSeconds: stepUpSeconds });
}

/** Whether a session (or a token request) belongs to a customer, whose own standing is then checked too. */
export const isCustomerSession = (session: { kind: string }): boolean => session.kind === 'customer';

/** The tenant whose audit trail the caller reads: operators any (or all: null), a tenant's client only its own. */
export function auditedTenant(who: Identity, named: string | null | undefined): string | null {
  if (isPlatformOperator(who)) return named ?? null;
  if (!who.tenantId || (named && named !== who.tenantId)) throw forbidden();
  return who.tenantId;
}

/** An operator's call about a tenant lands in that tenant's audit trail too; a tenant's own principal's never in another's. */
export const auditsOnTenant = (who: Identity | null): boolean => !!who && isPlatformOperator(who);

/**
 * The rule for managing API clients (issue 10 item 7: `clients:write` was a master key).
 *
 * - Operators manage every tenant's clients, with any scopes.
 * - An API client manages clients of its own tenant only, needs `clients:write`, and can never
 *   reach beyond what it holds itself: it grants only scopes it holds (`scopes` ⊆ its own), and it
 *   rotates or revokes only clients whose scopes are all its own. So no client can mint (or take
 *   over, by rotating its secret) a client more powerful than itself.
 * - Nobody else (customers, services) manages clients.
 *
 * Returns null when allowed, else the scopes that are missing (empty when the caller is not allowed
 * at all: another tenant, another kind of principal, no clients:write).
 */
export function clientGrantRefusal(who: Identity, target: { tenantId: string; scopes: readonly string[] }): { missingScopes: string[] } | null {
  if (isPlatformOperator(who)) return null;
  if (!mayAdminister(who, target.tenantId, 'clients:write')) return { missingScopes: [] };
  const missing = [...new Set(target.scopes)].filter((scope) => !who.scopes.includes(scope)).sort();
  return missing.length ? { missingScopes: missing } : null;
}

/** clientGrantRefusal as an error: FORBIDDEN, naming the missing scopes (reason SCOPE_ESCALATION) when only those are missing. */
export function assertManagesClient(who: Identity, target: { tenantId: string; scopes: readonly string[] }): void {
  const refusal = clientGrantRefusal(who, target);
  if (!refusal) return;
  if (refusal.missingScopes.length === 0) throw forbidden();
  throw new DomainError('FORBIDDEN', `A client can only grant, rotate or revoke scopes it holds itself; missing: ${refusal.missingScopes.join(' ')}.`, {
    reason: 'SCOPE_ESCALATION',
    missingScopes: refusal.missingScopes,
  });
}

/** Listing a tenant's clients: operators, and the tenant's own clients with clients:write. */
export const mayListClients = (who: Identity, tenantId: string): boolean => mayAdminister(who, tenantId, 'clients:write');

/** The scopes an API client asks for in a token that it was not granted (client credentials: FORBIDDEN when any). */
export const scopesBeyondGrant = (client: { scopes: readonly string[] }, requested: readonly string[]): string[] => requested.filter((s) => !client.scopes.includes(s));
