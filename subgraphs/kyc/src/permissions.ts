import type { Identity } from '@baas/auth';
import { actingTenant, isApiClient, isAuthenticated, isCustomer, isCustomerSelf, isInternalService, isOperator, isPlatform, isPlatformOperator, isTenantClientWith, mayRead, or, ownsParent, publicField, type RuleTree } from '@baas/authz';
import { badInput, forbidden, notFound } from '@baas/errors';

type Owned = { tenantId: string; customerId: string };

/** The scope a tenant's API client needs to act on its customers' KYC. */
export const KYC_CLIENT_SCOPE = 'customers:write';

const owns = (name: string) => ownsParent((r: Owned) => ({ tenantId: r.tenantId, customerId: r.customerId }), `kyc:${name}`);
const customerOrClient = or(isCustomer, isApiClient);

/**
 * Who may resolve what in the kyc subgraph (default deny). Customers act on their own applications,
 * a tenant's API client on its tenant's customers', operators review the queue and decide; the
 * check evidence (scores, reasons, model versions) is for operators only. `customerKycLevel` is an
 * internal query (accounts), @inaccessible to clients.
 */
export const kycPermissions: RuleTree = {
  Query: {
    kycApplication: isAuthenticated,
    kycApplications: isAuthenticated,
    kycReviewQueue: isOperator,
    customerKycLevel: isInternalService,
  },
  Mutation: {
    createKycApplication: customerOrClient,
    requestKycDocumentUpload: customerOrClient,
    submitKycApplication: customerOrClient,
    deleteKycDocuments: or(isCustomer, isApiClient, isOperator),
    decideKycReview: isOperator,
  },
  KycApplication: { '*': owns('ownsApplication'), checks: isOperator },
  KycApplicant: publicField,
  KycDocument: publicField,
  KycCheckResult: isOperator,
  KycChecks: isOperator,
  KycDecision: publicField,
  KycDocumentUpload: publicField,
  KycReviewPage: isOperator,
  CustomerKyc: publicField,
  CustomerKycLevel: isInternalService,
  // A Customer here is only a reference ({ id }); its kyc is resolved for callers who may see the customer.
  Customer: { id: isAuthenticated, kyc: isAuthenticated },
};

// ---------------------------------------------------------------------------------------------
// Record-level policies (use cases call these by name; nothing else tests who.kind)

/** Who may see an application: its customer, its tenant's clients, operators and internal services. */
export function maySeeApplication(who: Identity, app: Owned): boolean {
  return mayRead(who, app);
}

/** Operators and internal services see every application (an absent one is null to them, not a refusal). */
export function seesEveryApplication(who: Identity): boolean {
  return isPlatform(who);
}

/** The application, when the caller may see it (its customer, its tenant's clients, operators, services); NOT_FOUND otherwise. */
export function requireVisibleApplication<T extends Owned>(who: Identity, app: T | null | undefined): T {
  if (!app || !maySeeApplication(who, app)) throw notFound('KYC application');
  return app;
}

/** Who may change an application (documents, submit): its customer, or its tenant's client holding customers:write. */
export function mayManageApplication(who: Identity, owner: Owned): boolean {
  return isCustomerSelf(who, owner) || isTenantClientWith(who, owner.tenantId, KYC_CLIENT_SCOPE);
}

/** FORBIDDEN unless the caller may manage the application it can see. */
export function requireManageApplication(who: Identity, owner: Owned): void {
  if (!mayManageApplication(who, owner)) throw forbidden();
}

/** Who may erase an application's documents (LGPD): whoever manages it, and operators. */
export function requireEraseDocuments(who: Identity, owner: Owned): void {
  if (!mayManageApplication(who, owner) && !isPlatformOperator(who)) throw forbidden();
}

/**
 * The customer a new application is for: a customer applies for themselves (naming another is
 * FORBIDDEN); a tenant's client names its customer (customerId required) and needs customers:write.
 */
export function applicantOwner(who: Identity, customerId: string | null | undefined): Owned {
  if (who.kind === 'customer') {
    if (customerId != null && customerId.toLowerCase() !== who.subject) throw forbidden();
    return { tenantId: who.tenantId!, customerId: who.subject };
  }
  if (who.kind === 'api_client' && who.tenantId) {
    if (!customerId) throw badInput('customerId is required for an API client.', { field: 'customerId', reason: 'REQUIRED' });
    const owner = { tenantId: who.tenantId, customerId: customerId.toLowerCase() };
    if (!mayManageApplication(who, owner)) throw forbidden();
    return owner;
  }
  throw forbidden();
}

/** Which applications a listing covers: a customer's own; a client its tenant's (optionally one customer); the platform any. */
export function applicationListScope(who: Identity, customerId: string | null | undefined, tenantId: string | null | undefined): { tenantId: string | null; customerId: string | null } {
  if (isPlatform(who)) return { tenantId: tenantId ?? null, customerId: customerId?.toLowerCase() ?? null };
  const tenant = actingTenant(who, tenantId);
  if (who.kind === 'customer') {
    if (customerId != null && customerId.toLowerCase() !== who.subject) throw forbidden();
    return { tenantId: tenant, customerId: who.subject };
  }
  return { tenantId: tenant, customerId: customerId?.toLowerCase() ?? null };
}

/** Whether a stored row under a client's id belongs to this caller's request space (idempotency scope). */
export function keyInScope(who: Identity, row: Owned): boolean {
  return mayManageApplication(who, row);
}

/**
 * How far a caller sees customers' KYC standing (Customer.kyc): the platform every customer's; a
 * customer only their own; a tenant's client its tenant's customers (whether the customer is its
 * tenant's is asked of identity when kyc has no row); nobody else any.
 */
export function customerKycReach(who: Identity, customerId: string): 'ALL' | 'TENANT' | 'NONE' {
  if (isPlatform(who)) return 'ALL';
  if (who.kind === 'customer') return who.subject === customerId.toLowerCase() ? 'ALL' : 'NONE';
  if (who.kind === 'api_client' && who.tenantId) return 'TENANT';
  return 'NONE';
}

/**
 * The decision reasons a caller is shown: the platform all of them; the customer and its tenant's
 * clients none about screening (SCREENING_*), so a sanctions or PEP match is never tipped off to the
 * person screened (AML: Lei 9.613/98 art. 11, II forbids telling them; the application just shows MANUAL_REVIEW or DENIED).
 */
export function decisionReasonsFor(who: Identity, reasons: readonly string[]): string[] {
  return isPlatform(who) ? [...reasons] : reasons.filter((r) => !r.startsWith('SCREENING_'));
}
