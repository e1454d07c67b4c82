import { unauthenticated } from '@baas/errors';
import type { Identity } from '@baas/auth';
import { maySeeRiskRecord, riskRecordDenied } from '../permissions';
import type { StoredAssessment } from '../store/risk-assessment-store';

export type { StoredAssessment };
export type GetRiskAssessmentDeps = { assessments: { load(id: string): Promise<StoredAssessment | null> } };

/**
 * A risk assessment by id: operators and internal services any, a tenant's API client its own
 * tenant's. An id the caller may not see, or that does not exist, is FORBIDDEN for tenants' clients
 * (ids cannot be probed) and NOT_FOUND for operators and services.
 */
export async function getRiskAssessment(deps: GetRiskAssessmentDeps, identity: Identity | null, id: string): Promise<StoredAssessment> {
  if (!identity) throw unauthenticated();
  const row = await deps.assessments.load(id);
  if (!row || !maySeeRiskRecord(identity, row)) throw riskRecordDenied(identity, 'Risk assessment');
  return row;
}
