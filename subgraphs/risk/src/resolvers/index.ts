import type { Driver } from 'neo4j-driver';
import { createByIdLoader, requireInternal, type SubgraphContext } from '@baas/server';
import type { Resolvers } from '../generated/resolvers-types';

export type AssessmentRow = { id: string; scoreBps: number; decision: string; createdAt: string };

/** Assessments are nodes in the risk graph, next to the customers, devices and accounts they concern. */
export function createRiskLoaders(driver: Driver) {
  return {
    assessment: createByIdLoader<string, AssessmentRow>(async (ids) => {
      const result = await driver.executeQuery(
        'MATCH (a:RiskAssessment) WHERE a.id IN $ids RETURN a.id AS id, a.scoreBps AS scoreBps, a.decision AS decision, a.createdAt AS createdAt',
        { ids },
        { routing: 'READ' },
      );
      return result.records.map((r) => ({
        id: r.get('id') as string,
        scoreBps: Number(r.get('scoreBps')),
        decision: r.get('decision') as string,
        createdAt: String(r.get('createdAt')),
      }));
    }),
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
