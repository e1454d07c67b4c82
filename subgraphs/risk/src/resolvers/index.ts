import type { Resolvers } from '../generated/resolvers-types';
import { getRiskAssessment } from '../use-cases/get-risk-assessment';

export const resolvers: Resolvers = {
  Query: {
    riskAssessment: (_, args, ctx) => getRiskAssessment({ assessments: ctx.loaders.assessment }, ctx.identity, args.id),
  },
  RiskAssessment: {
    __resolveReference: (ref, ctx) => getRiskAssessment({ assessments: ctx.loaders.assessment }, ctx.identity, ref.id),
  },
};
