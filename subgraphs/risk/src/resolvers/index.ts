import { createByIdLoader, requireInternal, type SubgraphContext } from '@baas/server';
import type { Resolvers } from '../generated/resolvers-types';
import type { AssessmentRow, RiskAssessmentStore } from '../store/risk-assessment-store';

export type { AssessmentRow };

export function createRiskLoaders(assessments: RiskAssessmentStore) {
  return {
    assessment: createByIdLoader<string, AssessmentRow>((ids) => assessments.findByIds(ids)),
  };
}

export type RiskContext = SubgraphContext & { loaders: ReturnType<typeof createRiskLoaders> };

const load = (ctx: RiskContext, id: string) => {
  requireInternal(ctx.identity);
  return ctx.loaders.assessment.load(id);
};

export const resolvers: Resolvers = {
  Query: {
    riskAssessment: (_, args, ctx) => load(ctx, args.id),
  },
  RiskAssessment: {
    __resolveReference: (ref, ctx) => load(ctx, ref.id),
  },
};
