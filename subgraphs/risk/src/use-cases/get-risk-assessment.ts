import type { Identity } from '@baas/auth';
import { requireInternal } from '@baas/server';
import type { AssessmentRow } from '../store/risk-assessment-store';

export type GetRiskAssessmentDeps = { assessments: { load(id: string): Promise<AssessmentRow | null> } };

/**
 * A risk assessment by id. Until the risk issue defines customer access, only operators and
 * internal services may read (UNAUTHENTICATED / FORBIDDEN otherwise, before any read).
 */
export async function getRiskAssessment(deps: GetRiskAssessmentDeps, identity: Identity | null, id: string): Promise<AssessmentRow | null> {
  requireInternal(identity);
  return deps.assessments.load(id);
}
