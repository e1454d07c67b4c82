import type { Driver } from 'neo4j-driver';

export type AssessmentRow = { id: string; scoreBps: number; decision: string; createdAt: string };

/** Assessments are nodes in the risk graph, next to the customers, devices and accounts they concern. */
export function createRiskAssessmentStore(driver: Driver) {
  return {
    async findByIds(ids: readonly string[]): Promise<AssessmentRow[]> {
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
    },
  };
}

export type RiskAssessmentStore = ReturnType<typeof createRiskAssessmentStore>;
