import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { createNeo4j, type Neo4jStore } from '@baas/neo4j';
import { createLogger } from '@baas/observability';
import { riskMigrations } from '../src/store/migrations';
import { createRiskAssessmentStore } from '../src/store/risk-assessment-store';

const NEO4J_URL = 'bolt://127.0.0.1:7687';

/**
 * The risk graph's store on the real Neo4j: the constraints it starts with, and its reads. The
 * constraints are the ones the subgraph applies to this shared database at every start; the
 * nodes are this run's own (random ids) and are removed afterwards.
 */
describe('risk store on the real Neo4j', { timeout: 60_000 }, () => {
  let graph: Neo4jStore;
  const ids = { customer: `test-${randomUUID()}`, assessment: `test-${randomUUID()}` };

  before(async () => {
    graph = await createNeo4j({ config: { NEO4J_URL, NEO4J_USER: 'neo4j' }, service: 'risk-test', logger: createLogger({ service: 'risk-test', level: 'silent' }), migrations: riskMigrations });
  });

  after(async () => {
    await graph.driver.executeQuery('MATCH (n) WHERE (n:Customer OR n:RiskAssessment) AND n.id IN $ids DETACH DELETE n', { ids: Object.values(ids) });
    await graph.close();
  });

  it('every migration is recorded, and its constraint exists', async () => {
    const recorded = (await graph.driver.executeQuery('MATCH (m:Migration) WHERE m.name STARTS WITH "risk." RETURN m.name AS name')).records.map((r) => r.get('name'));
    assert.deepEqual(recorded.sort(), riskMigrations.map((m) => m.name).sort());
    const constraints = (await graph.driver.executeQuery('SHOW CONSTRAINTS YIELD name RETURN name')).records.map((r) => r.get('name') as string);
    for (const name of ['risk_customer_id_unique', 'risk_account_id_unique', 'risk_device_id_unique', 'risk_assessment_id_unique']) assert.ok(constraints.includes(name), name);
  });

  it('a second customer with the same id is refused', async () => {
    await graph.driver.executeQuery('CREATE (:Customer {id: $id})', { id: ids.customer });
    await assert.rejects(graph.driver.executeQuery('CREATE (:Customer {id: $id})', { id: ids.customer }), (err: { code?: string }) => err.code === 'Neo.ClientError.Schema.ConstraintValidationFailed');
  });

  it('reads assessments by id, integers as numbers, absent ids left out', async () => {
    await graph.driver.executeQuery('CREATE (:RiskAssessment {id: $id, scoreBps: 1250, decision: "REVIEW", createdAt: "2026-01-02T03:04:05.000Z"})', { id: ids.assessment });
    const rows = await createRiskAssessmentStore(graph.driver).findByIds([ids.assessment, `test-${randomUUID()}`]);
    assert.deepEqual(rows, [{ id: ids.assessment, scoreBps: 1250, decision: 'REVIEW', createdAt: '2026-01-02T03:04:05.000Z' }]);
  });
});
