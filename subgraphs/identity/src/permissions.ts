import { and, hasScope, inParentTenant, isApiClient, isAuthenticated, isCustomer, isInternalService, isOperator, or, ownsParent, publicField, type RuleTree } from '@baas/authz';
import type { CustomerRow, TenantRow } from './services/customers';

const operatorOrClientWith = (scope: string) => or(isOperator, and(isApiClient, hasScope(scope)));

/**
 * Who may resolve what in the identity subgraph (default deny: anything not named is refused).
 * Resolvers re-check ownership of what they load by id; these rules are the outer wall.
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
};
