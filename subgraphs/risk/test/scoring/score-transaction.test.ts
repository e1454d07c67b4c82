import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { Redis } from 'ioredis';
import { createNeo4j, type Neo4jStore } from '@baas/neo4j';
import { createLogger } from '@baas/observability';
import { riskMigrations } from '../../src/store/migrations';
import { createGraphFeatureCache } from '../../src/store/graph-feature-cache';
import { createRiskAssessmentStore } from '../../src/store/risk-assessment-store';
import { createTenantRiskSettingsStore } from '../../src/store/tenant-risk-settings-store';
import { createVelocityStore } from '../../src/store/velocity-store';
import { loadFraudModel, type FraudModel } from '../../src/workers/fraud-model';
import { scoreTransaction, type ObservedIdentifiers, type ScoreTransactionDeps, type ScoreTransactionInput } from '../../src/use-cases/score-transaction';

const MIN = 60_000;
const DAY = 24 * 60 * MIN;

/**
 * scoreTransaction on the real Redis, Neo4j and ONNX model: an established customer's usual payment
 * is allowed; the same account taken over (new device and IP, 10x its mean to a new payee at 03:00)
 * and a mule forwarding what it collected are blocked; repeats replay without counting twice.
 */
describe('scoreTransaction end to end', { timeout: 120_000 }, () => {
  const prefix = `test:risk:${randomUUID()}`;
  const tenantId = `test-${randomUUID()}`;
  let redis: Redis;
  let graph: Neo4jStore;
  let model: FraudModel;
  let deps: ScoreTransactionDeps;
  let cache: ReturnType<typeof createGraphFeatureCache>;
  let clock = new Date('2026-03-02T17:00:00Z').getTime(); // 14:00 in Sao Paulo
  const published: ObservedIdentifiers[] = [];
  const warnings: unknown[] = [];

  before(async () => {
    redis = new Redis('redis://127.0.0.1:6379', { maxRetriesPerRequest: 2 });
    graph = await createNeo4j({ config: { NEO4J_URL: 'bolt://127.0.0.1:7687', NEO4J_USER: 'neo4j' }, service: 'risk-test', logger: createLogger({ service: 'risk-test', level: 'silent' }), migrations: riskMigrations });
    model = await loadFraudModel({ provider: 'cpu', batchWindowMs: 0 });
    cache = createGraphFeatureCache(redis, { prefix: `${prefix}:gf` });
    deps = {
      assessments: createRiskAssessmentStore(graph.driver),
      velocity: createVelocityStore(redis, { prefix: `${prefix}:v` }),
      graphFeatures: cache,
      settings: createTenantRiskSettingsStore(graph.driver, { cacheMs: 0 }),
      model,
      now: () => new Date(clock),
      publishObserved: (o) => void published.push(o),
      logger: { warn: (...args: unknown[]) => void warnings.push(args) } as unknown as ScoreTransactionDeps['logger'],
    };
  });

  after(async () => {
    await graph.driver.executeQuery('MATCH (n) WHERE (n:RiskAssessment OR n:RiskSettings) AND n.tenantId = $tenantId DETACH DELETE n', { tenantId });
    let cursor = '0';
    do {
      const [next, keys] = await redis.scan(cursor, 'MATCH', `${prefix}:*`, 'COUNT', 1000);
      if (keys.length > 0) await redis.del(...keys);
      cursor = next;
    } while (cursor !== '0');
    redis.disconnect();
    await model?.close();
    await graph.close();
  });

  const alice = { customerId: 'cust-alice', payerAccountId: `acct-alice-${randomUUID()}`, accountOpenedAt: new Date(clock - 400 * DAY) };
  const usualPayee = `acct-landlord-${randomUUID()}`;
  const input = (over: Partial<ScoreTransactionInput>): ScoreTransactionInput => ({
    movementId: randomUUID(),
    tenantId,
    ...alice,
    rail: 'PIX',
    payeeAccountId: usualPayee,
    amount: 15_000n,
    currency: 'BRL',
    occurredAt: new Date(clock),
    deviceId: 'alice-phone',
    ip: '198.51.100.10',
    ...over,
  });

  it("builds an established customer's history, then allows the usual payment", async () => {
    const start = clock;
    for (let d = 20; d >= 1; d--) {
      clock = start - d * DAY;
      await scoreTransaction(deps, input({}));
    }
    clock = start;
    const a = await scoreTransaction(deps, input({ amount: 14_000n }));
    assert.equal(a.decision, 'ALLOW');
    assert.deepEqual(a.reasons, []);
    assert.ok(a.scoreBps < 500, `score ${a.scoreBps}`);
    assert.equal(a.modelVersion, 'fraud-gbdt@1');
    // The stored features: 20 earlier payments of 15,000 (one per day, none in the last 24 h: the newest
    // is exactly a day old), a known payee, device and IP, 400 days old, 14:00, PIX, nothing in the graph.
    const want = [0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, Math.log1p(14_000), 0.933333, 400, 14, 1, 0, 1, 6, 6, 0, 0];
    assert.deepEqual(a.features, want.map(Math.fround));
    assert.deepEqual(published.at(-1), { tenantId, customerId: alice.customerId, accountId: alice.payerAccountId, identifiers: [{ kind: 'DEVICE', value: 'alice-phone' }, { kind: 'IP', value: '198.51.100.10' }] });
  });

  it('repeats replay the stored assessment without counting again; another amount is IDEMPOTENCY_KEY_REUSED', async () => {
    const first = input({ amount: 12_000n });
    const a = await scoreTransaction(deps, first);
    clock += 5 * MIN;
    const repeats = await Promise.all([scoreTransaction(deps, first), scoreTransaction(deps, { ...first, deviceId: 'other' })]);
    for (const r of repeats) assert.deepEqual(r, a);
    await assert.rejects(scoreTransaction(deps, { ...first, amount: 12_001n }), { code: 'IDEMPOTENCY_KEY_REUSED' });
    await assert.rejects(scoreTransaction(deps, { ...first, payerAccountId: 'acct-other' }), { code: 'IDEMPOTENCY_KEY_REUSED' });
    // Concurrent first attempts of one movement: one assessment, counted once.
    const racing = input({ amount: 11_000n });
    const raced = await Promise.all([1, 2, 3, 4].map(() => scoreTransaction(deps, racing)));
    assert.equal(new Set(raced.map((r) => r.id)).size, 1);
    // The next movement sees the 14,000 and 12,000 and 11,000 payments of the last hour once each.
    const next = await scoreTransaction(deps, input({ amount: 10_000n }));
    assert.deepEqual(next.features.slice(0, 4), [3, 3, Math.log1p(37_000), Math.log1p(37_000)].map(Math.fround));
  });

  it('a first score reads no stored assessment (its write is the only Neo4j call); a repeat reads it and replays', async () => {
    let reads = 0;
    const counting: ScoreTransactionDeps = { ...deps, assessments: { ...deps.assessments, findByMovement: (t, m) => (reads++, deps.assessments.findByMovement(t, m)) } };
    const first = input({ amount: 9_000n });
    const a = await scoreTransaction(counting, first);
    assert.equal(reads, 0);
    assert.deepEqual(await scoreTransaction(counting, first), a);
    assert.equal(reads, 1);
  });

  it('an account takeover (new device and IP, 10x the mean to a new payee at 03:00) is blocked, with its reasons', async () => {
    clock += 13 * 60 * MIN; // 06:xx UTC = 03:xx in Sao Paulo
    const a = await scoreTransaction(deps, input({ amount: 150_000n, payeeAccountId: `acct-drop-${randomUUID()}`, deviceId: 'attacker-laptop', ip: '203.0.113.66' }));
    assert.equal(a.decision, 'BLOCK');
    assert.ok(a.scoreBps >= 9000, `score ${a.scoreBps}`);
    assert.deepEqual(a.reasons.slice(0, 4), ['MODEL_SCORE_HIGH', 'NEW_PAYEE_LARGE_AMOUNT', 'NEW_DEVICE', 'NEW_IP']);
  });

  it('a mule forwarding what it collected (graph mule score on its ledger account) is blocked', async () => {
    const mule = { customerId: `cust-mule-${randomUUID()}`, payerAccountId: `acct-mule-${randomUUID()}`, payerLedgerAccountId: `ledger-mule-${randomUUID()}`, accountOpenedAt: new Date(clock - 20 * DAY) };
    await cache.writeAccount(mule.payerLedgerAccountId, { fraudDistance: 6, muleScore: 0.9 });
    const saved = clock;
    for (const d of [3, 2]) {
      clock = saved - d * DAY; // each earlier payment scored at its own time
      await scoreTransaction(deps, input({ ...mule, amount: 30_000n, deviceId: 'mule-phone', ip: null }));
    }
    clock = saved;
    const a = await scoreTransaction(deps, input({ ...mule, amount: 250_000n, payeeAccountId: `acct-next-${randomUUID()}`, deviceId: 'mule-phone', ip: null }));
    assert.equal(a.features[20], Math.fround(0.9));
    assert.equal(a.decision, 'BLOCK');
    assert.ok(a.reasons.includes('MULE_PATTERN') && a.reasons.includes('NEW_PAYEE_LARGE_AMOUNT'), a.reasons.join());
    assert.equal(published.at(-1)?.accountId, mule.payerLedgerAccountId);
  });

  it('a confirmed fraudster is always blocked; the tenant amount limit blocks; settings are read per tenant', async () => {
    const fraudster = `cust-fraud-${randomUUID()}`;
    await cache.writeCustomer(fraudster, { sharedIdentifierDegree: 0, ringSize: 1, fraudDistance: 0 });
    const f = await scoreTransaction(deps, input({ customerId: fraudster, payerAccountId: `acct-f-${randomUUID()}`, amount: 100n }));
    assert.deepEqual([f.decision, f.reasons[0]], ['BLOCK', 'CONFIRMED_FRAUDSTER']);

    await deps.settings.get(tenantId);
    await createTenantRiskSettingsStore(graph.driver).set(tenantId, { blockAboveAmount: { BRL: 100_000n } });
    const over = await scoreTransaction(deps, input({ amount: 100_001n }));
    assert.deepEqual([over.decision, over.reasons[0]], ['BLOCK', 'AMOUNT_ABOVE_TENANT_LIMIT']);
  });

  it('a failing publisher is logged, never thrown; bad input is BAD_USER_INPUT', async () => {
    const failing: ScoreTransactionDeps = { ...deps, publishObserved: async () => Promise.reject(new Error('nats down')) };
    const before = warnings.length;
    const a = await scoreTransaction(failing, input({ amount: 9_000n }));
    assert.ok(['ALLOW', 'REVIEW', 'BLOCK'].includes(a.decision));
    await new Promise((r) => setImmediate(r));
    assert.equal(warnings.length, before + 1);
    await assert.rejects(scoreTransaction(deps, input({ amount: 0n })), { code: 'BAD_USER_INPUT' });
    await assert.rejects(scoreTransaction(deps, input({ currency: 'brl' })), { code: 'BAD_USER_INPUT' });
    await assert.rejects(scoreTransaction(deps, input({ rail: 'SWIFT' as never })), { code: 'BAD_USER_INPUT' });
  });

  it('lists the tenant’s stored assessments, newest first', async () => {
    const page = await createRiskAssessmentStore(graph.driver).list({ tenantId, customerId: alice.customerId, first: 2 });
    assert.equal(page.items.length, 2);
    assert.ok(page.hasNextPage && page.endCursor);
    assert.ok(page.items[0]!.createdAt >= page.items[1]!.createdAt);
  });
});
