import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { createNeo4j, type Neo4jStore } from '@baas/neo4j';
import { createLogger } from '@baas/observability';
import { riskMigrations } from '../../src/store/migrations';
import { assessmentIdFor, createRiskAssessmentStore, type StoredAssessment } from '../../src/store/risk-assessment-store';
import { createTenantRiskSettingsStore } from '../../src/store/tenant-risk-settings-store';

/** Assessments and tenant settings on the real Neo4j; this run's tenants only, removed afterwards. */
describe('assessment and settings stores on the real Neo4j', { timeout: 60_000 }, () => {
  let graph: Neo4jStore;
  const tenantA = `test-${randomUUID()}`;
  const tenantB = `test-${randomUUID()}`;

  before(async () => {
    graph = await createNeo4j({ config: { NEO4J_URL: 'bolt://127.0.0.1:7687', NEO4J_USER: 'neo4j' }, service: 'risk-test', logger: createLogger({ service: 'risk-test', level: 'silent' }), migrations: riskMigrations });
  });

  after(async () => {
    const tenants = [tenantA, tenantB];
    await graph.driver.executeQuery('MATCH (n) WHERE (n:RiskAssessment OR n:RiskSettings) AND n.tenantId IN $tenants DETACH DELETE n', { tenants });
    await graph.close();
  });

  const make = (tenantId: string, i: number, createdAt: Date, customerId = 'cust-1'): StoredAssessment => {
    const movementId = `mv-${i}`;
    return {
      id: assessmentIdFor(tenantId, movementId),
      tenantId,
      customerId,
      movementId,
      rail: 'PIX',
      scoreBps: 1234 + i,
      decision: 'REVIEW',
      reasons: ['MODEL_SCORE_ELEVATED', 'NEW_DEVICE'],
      modelVersion: 'fraud-gbdt@1',
      features: Array.from({ length: 22 }, (_, j) => Math.fround(j + 0.1)),
      createdAt,
      fingerprint: `fp-${i}`,
      amount: '9007199254740993',
      currency: 'BRL',
      payerAccountId: 'acct-1',
      payeeAccountId: i % 2 === 0 ? null : 'acct-2',
    };
  };

  it('stores an assessment whole, once per (tenant, movement); a second insert gives the first back', async () => {
    const store = createRiskAssessmentStore(graph.driver);
    const a = make(tenantA, 1, new Date('2026-03-02T17:00:00.000Z'));
    assert.deepEqual(await store.insert(a), { created: true, assessment: a });
    assert.deepEqual(await store.findByMovement(tenantA, 'mv-1'), a);
    assert.equal(await store.findByMovement(tenantB, 'mv-1'), null);
    const again = await store.insert({ ...a, scoreBps: 1, fingerprint: 'other' });
    assert.deepEqual(again, { created: false, assessment: a });
    assert.deepEqual(await store.findByIds([a.id]), [{ id: a.id, scoreBps: a.scoreBps, decision: 'REVIEW', createdAt: '2026-03-02T17:00:00.000Z' }]);
    assert.deepEqual(await store.findFullByIds([a.id, randomUUID()]), [a]);
    // The same movement id in another tenant is another assessment.
    assert.notEqual(assessmentIdFor(tenantB, 'mv-1'), a.id);
    await assert.rejects(store.insert({ ...a, id: randomUUID() }));
  });

  it('lists a tenant (or one customer) newest first, page by page, with ties on createdAt broken by id', async () => {
    const store = createRiskAssessmentStore(graph.driver);
    const at = (m: number) => new Date(Date.UTC(2026, 2, 3, 12, m));
    const rows = [2, 3, 4, 5, 6, 7, 8].map((i) => make(tenantB, i, at(i < 5 ? 0 : i), i === 8 ? 'cust-2' : 'cust-1'));
    for (const r of rows) await store.insert(r);
    const want = [...rows].sort((x, y) => y.createdAt.getTime() - x.createdAt.getTime() || (y.id < x.id ? -1 : y.id > x.id ? 1 : 0)).map((r) => r.movementId);

    const seen: string[] = [];
    let after: string | null = null;
    for (let page = 0; page < 10; page++) {
      const res = await store.list({ tenantId: tenantB, after, first: 3 });
      seen.push(...res.items.map((r) => r.movementId));
      if (!res.hasNextPage) break;
      after = res.endCursor;
    }
    assert.deepEqual(seen, want);
    const cust2 = await store.list({ tenantId: tenantB, customerId: 'cust-2', first: 10 });
    assert.deepEqual(cust2.items.map((r) => r.movementId), ['mv-8']);
    assert.equal(cust2.hasNextPage, false);
    assert.deepEqual((await store.list({ tenantId: `test-${randomUUID()}`, first: 10 })).items, []);
    await assert.rejects(store.list({ tenantId: tenantB, after: 'not-a-cursor', first: 3 }), { code: 'BAD_USER_INPUT' });
  });

  it('tenant settings: defaults until set, a round trip keeps limits as bigints, cached in process', async () => {
    let clock = 1_000_000;
    const store = createTenantRiskSettingsStore(graph.driver, { cacheMs: 5_000, clock: () => clock });
    const other = createTenantRiskSettingsStore(graph.driver, { cacheMs: 5_000, clock: () => clock });
    const d = await store.get(tenantA);
    assert.deepEqual([d.reviewAtBps, d.blockAtBps, d.rules.blockConfirmedFraud, d.updatedAt], [5000, 9000, true, null]);
    assert.equal(await other.get(tenantA).then((s) => s.reviewAtBps), 5000); // now cached in `other`

    const at = new Date('2026-03-02T17:00:00.000Z');
    const set = await store.set(tenantA, { reviewAtBps: 4000, blockAtBps: 8000, blockAboveAmount: { BRL: 9_007_199_254_740_993n, USD: null } }, at);
    assert.deepEqual(await store.get(tenantA), set);
    assert.equal((await other.get(tenantA)).reviewAtBps, 5000); // stale until its cache expires
    clock += 5_001;
    const read = await other.get(tenantA);
    assert.deepEqual(read, { tenantId: tenantA, reviewAtBps: 4000, blockAtBps: 8000, rules: { blockAboveAmount: { BRL: 9_007_199_254_740_993n, USD: null }, blockConfirmedFraud: true }, updatedAt: at });
    await assert.rejects(store.set(tenantA, { blockAtBps: 3000 }), { code: 'BAD_USER_INPUT' });
    const patched = await store.set(tenantA, { blockConfirmedFraud: false }, at);
    assert.deepEqual([patched.reviewAtBps, patched.rules.blockConfirmedFraud, patched.rules.blockAboveAmount.BRL], [4000, false, 9_007_199_254_740_993n]);
  });
});
