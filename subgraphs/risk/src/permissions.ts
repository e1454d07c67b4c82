import { and, isApiClient, isInternal, isInternalService, isOperator, or, ownsParent, publicField, type RuleTree } from '@baas/authz';
import { isPlatform, managesTenant, mayRead } from '@baas/authz';
import { missingRecord, type Identity } from '@baas/auth';
import { badInput, forbidden, type DomainError } from '@baas/errors';

type TenantOwned = { tenantId: string };

/**
 * A risk record (assessment, alert) is its tenant's: operators and internal services see every
 * tenant's, a tenant's API clients their own; customers never (the owner names no customer, so
 * canAccess refuses them).
 */
const ownsRiskRecord = ownsParent((r: TenantOwned) => ({ tenantId: r.tenantId }), 'risk:ownsRiskRecord');

/**
 * Who may resolve what in the risk subgraph (default deny). Customers reach nothing here: risk
 * serves the platform (scoring), its operators and the tenants' back offices.
 */
export const riskPermissions: RuleTree = {
  Query: {
    riskAssessment: or(isInternal, isApiClient),
    riskAssessments: or(isInternal, isApiClient),
    riskAlerts: or(isInternal, isApiClient),
    creditScore: or(isInternal, isApiClient),
    riskSettings: or(isInternal, isApiClient),
  },
  Mutation: {
    // Internal services only (the money-movement paths); @inaccessible, so absent from the gateway too.
    scoreTransaction: isInternalService,
    updateRiskAlertStatus: or(isOperator, isApiClient),
    setRiskSettings: or(isOperator, isApiClient),
  },
  RiskAssessment: { '*': ownsRiskRecord, features: and(isOperator, ownsRiskRecord) },
  RiskAlert: { '*': ownsRiskRecord },
  RiskAssessmentPage: publicField,
  RiskAlertPage: publicField,
  CreditScore: publicField,
  RiskSettings: publicField,
  Money: publicField,
};

// ---------------------------------------------------------------------------------------------
// Record-level policies (use cases call these; nothing else tests who.kind)

/** Who may see an assessment or an alert: operators and internal services all, a tenant's clients their tenant's. */
export function maySeeRiskRecord(who: Identity, record: TenantOwned): boolean {
  return mayRead(who, { tenantId: record.tenantId });
}

/** The answer for a record the caller may not see or that does not exist: NOT_FOUND for platform callers, FORBIDDEN otherwise (ids cannot be probed). */
export function riskRecordDenied(who: Identity, what: string): DomainError {
  return missingRecord(who, what);
}

/**
 * The tenant a read or a change addresses: operators and internal services name it (required:
 * BAD_USER_INPUT without), a tenant's API client its own (from its token; naming another is
 * FORBIDDEN). Customers: FORBIDDEN.
 */
export function riskTenant(who: Identity, named: string | null | undefined): string {
  if (isPlatform(who)) {
    if (!named) throw badInput('tenantId is required.', { field: 'tenantId' });
    return named.toLowerCase();
  }
  if (who.kind === 'api_client' && who.tenantId && (!named || named.toLowerCase() === who.tenantId)) return who.tenantId;
  throw forbidden();
}

/** Who may move a tenant's alerts and change its risk settings: operators, or its API client holding tenant:write. */
export function mayManageTenantRisk(who: Identity, tenantId: string): boolean {
  return managesTenant(who, tenantId, 'tenant:write');
}
