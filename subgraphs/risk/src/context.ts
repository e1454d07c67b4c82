import { createByIdLoader, type SubgraphContext } from '@baas/server';
import type { AssessmentRow, RiskAssessmentStore } from './store/risk-assessment-store';

/** The per-request loaders of the risk subgraph: one batched read per entity per request. */
export function createRiskLoaders(assessments: RiskAssessmentStore) {
  return {
    assessment: createByIdLoader<string, AssessmentRow>((ids) => assessments.findByIds(ids)),
  };
}

export type RiskLoaders = ReturnType<typeof createRiskLoaders>;

/** What the risk resolvers receive: the request's identity and its loaders. */
export type RiskContext = SubgraphContext & { loaders: RiskLoaders };
