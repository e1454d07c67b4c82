import { badInput, unauthenticated } from '@baas/errors';
import type { Identity } from '@baas/auth';
import { riskTenant } from '../permissions';
import type { AssessmentPage } from '../store/risk-assessment-store';

export type ListRiskAssessmentsDeps = {
  assessments: { list(q: { tenantId: string; customerId?: string | null; after?: string | null; first: number }): Promise<AssessmentPage> };
};

export type ListRiskAssessmentsArgs = { tenantId?: string | null; customerId?: string | null; first?: number | null; after?: string | null };

export const MAX_ASSESSMENT_PAGE = 100;

/**
 * A tenant's assessments, newest first (optionally one customer's): a tenant's API client reads its
 * own tenant, operators and internal services name one. `first` 1-100 (default 50), `after` a
 * previous page's endCursor; anything else is BAD_USER_INPUT.
 */
export async function listRiskAssessments(deps: ListRiskAssessmentsDeps, identity: Identity | null, args: ListRiskAssessmentsArgs): Promise<AssessmentPage> {
  if (!identity) throw unauthenticated();
  const tenantId = riskTenant(identity, args.tenantId);
  const first = args.first ?? 50;
  if (!Number.isInteger(first) || first < 1 || first > MAX_ASSESSMENT_PAGE) throw badInput(`first must be between 1 and ${MAX_ASSESSMENT_PAGE}.`, { field: 'first', limit: MAX_ASSESSMENT_PAGE });
  return deps.assessments.list({ tenantId, customerId: args.customerId ?? null, after: args.after ?? null, first });
}
