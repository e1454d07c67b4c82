import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import neo4j from 'neo4j-driver';
import { IDENTITY_HEADER, signIdentityAssertion, type Identity } from '@baas/auth';
import { parseConfig } from '@baas/config';
import { createLogger } from '@baas/observability';
import type { RunningSubgraph } from '@baas/server';
import { riskConfigSchema } from '../../src/config';
import { createRiskSubgraph } from '../../src/create-risk-subgraph';
import { createAlertStore } from '../../src/store/alert-store';

/**
 * The risk subgraph in this process on the real Neo4j, Redis and ONNX models (graph workers and
 * the observed publisher off: other tests share these stores), called as the gateway and internal
 * services call it: a signed identity assertion. Data of this run: its own tenants, removed after.
 */
const secret = `test-internal-secret-${randomUUID()}`;
const tenantA = randomUUID();
const tenantB = randomUUID();
const customerA = randomUUID();
const prefix = `test-risk-api-${randomUUID().slice(0, 8)}:`;
const service: Identity = { subject: 'accounts', kind: 'service', tenantId: null, scopes: ['risk:score'] };
const operator: Identity = { subject: randomUUID(), kind: 'operator', tenantId: null, scopes: [] };
const clientA: Identity = { subject: randomUUID(), kind: 'api_client', tenantId: tenantA, scopes: ['tenant:write'] };
const readerA: Identity = { subject: randomUUID(), kind: 'api_client', tenantId: tenantA, scopes: [] };
const clientB: Identity = { subject: randomUUID(), kind: 'api_client', tenantId: tenantB, scopes: ['tenant:write'] };
const customer: Identity = { subject: customerA, kind: 'customer', tenantId: tenantA, scopes: [] };

type Reply<T> = { data?: T | null; errors?: { message: string; extensions?: { code?: string; details?: Record<string, unknown> } & Record<string, unknown> }[] };
const codeOf = (r: Reply<unknown>) => r.errors?.[0]?.extensions?.code;

const SCORE = `mutation S($input: ScoreTransactionInput!) { scoreTransaction(input: $input) { id tenantId movementId rail scoreBps decision reasons modelVersion amount { minorUnits currency } createdAt } }`;
const READ = `query R($id: ID!) { riskAssessment(id: $id) { id movementId decision reasons amount { minorUnits currency } } }`;
const LIST = `query L($t: ID, $c: ID) { riskAssessments(tenantId: $t, customerId: $c, first: 10) { items { id movementId } hasNextPage endCursor } }`;
const ALERTS = `query A($t: ID, $s: RiskAlertStatus) { riskAlerts(tenantId: $t, status: $s) { items { id kind status subjectIds details note } } }`;
const MOVE = `mutation M($input: UpdateRiskAlertStatusInput!) { updateRiskAlertStatus(input: $input) { id status note } }`;

describe('risk API through the subgraph, real stores', { timeout: 120_000 }, () => {
  let risk: RunningSubgraph;
  let driver: ReturnType<typeof neo4j.driver>;
  const call = async <T>(query: string, variables: Record<string, unknown>, who: Identity | null): Promise<Reply<T>> => {
    const headers: Record<string, string> = { 'content-type': 'application/json' };
    if (who) headers[IDENTITY_HEADER] = await signIdentityAssertion(who, secret);
    const res = await fetch(risk.url, { method: 'POST', headers, body: JSON.stringify({ query, variables }) });
    return (await res.json()) as Reply<T>;
  };
  const movement = (over: Record<string, unknown> = {}) => ({
    movementId: randomUUID(),
    tenantId: tenantA,
    customerId: customerA,
    rail: 'TRANSFER',
    payerAccountId: `acc-${randomUUID()}`,
    payeeAccountId: `acc-${randomUUID()}`,
    amount: '12345',
    currency: 'BRL',
    occurredAt: new Date().toISOString(),
    ...over,
  });

  before(async () => {
    const parsed = parseConfig(riskConfigSchema, {
      NODE_ENV: 'test',
      PORT: '0',
      INTERNAL_IDENTITY_SECRET: secret,
      AUDIT_ENABLED: 'false',
      INFERENCE_PROVIDER: 'cpu',
      REDIS_PREFIX: prefix,
      RISK_GRAPH_CONSUMER: 'false',
      RISK_GRAPH_SCAN: 'false',
      RISK_PUBLISH_OBSERVED: 'false',
    });
    if (!parsed.ok) throw new Error(parsed.problems.join('\n'));
    risk = await createRiskSubgraph(parsed.config, createLogger({ service: 'risk-api-test', level: 'silent' }));
    driver = neo4j.driver('bolt://127.0.0.1:7687');
  });

  after(async () => {
    await driver?.executeQuery('MATCH (n) WHERE (n:RiskAssessment OR n:RiskSettings OR n:RiskAlert OR n:RiskAlertChange OR n:Customer OR n:Account) AND n.tenantId IN $t DETACH DELETE n', { t: [tenantA, tenantB] });
    await driver?.close();
    await risk?.stop();
  });

  it('scoreTransaction: internal services only; an API client, an operator or a customer is refused', async () => {
    for (const who of [clientA, operator, customer]) assert.equal(codeOf(await call(SCORE, { input: movement() }, who)), 'FORBIDDEN');
    assert.equal(codeOf(await call(SCORE, { input: movement() }, null)), 'UNAUTHENTICATED');
  });

  it('a service scores a movement (idempotent per movement); the owning tenant and operators read it, no one else', async () => {
    const input = movement();
    const first = await call<{ scoreTransaction: { id: string; decision: string; scoreBps: number; amount: { minorUnits: string } } }>(SCORE, { input }, service);
    assert.equal(first.errors, undefined, JSON.stringify(first.errors));
    const a = first.data!.scoreTransaction;
    assert.ok(['ALLOW', 'REVIEW', 'BLOCK'].includes(a.decision));
    assert.ok(Number.isInteger(a.scoreBps) && a.scoreBps >= 0 && a.scoreBps <= 10_000);
    assert.equal(a.amount.minorUnits, '12345');
    const again = await call<{ scoreTransaction: { id: string } }>(SCORE, { input }, service);
    assert.equal(again.data?.scoreTransaction.id, a.id);
    assert.equal(codeOf(await call(SCORE, { input: { ...input, amount: '999' } }, service)), 'IDEMPOTENCY_KEY_REUSED');

    for (const who of [readerA, operator]) {
      const r = await call<{ riskAssessment: { id: string; movementId: string } }>(READ, { id: a.id }, who);
      assert.equal(r.data?.riskAssessment.movementId, input.movementId, JSON.stringify(r.errors));
    }
    for (const who of [clientB, customer]) assert.equal(codeOf(await call(READ, { id: a.id }, who)), 'FORBIDDEN');
    assert.equal(codeOf(await call(READ, { id: randomUUID() }, clientB)), 'FORBIDDEN');
    assert.equal(codeOf(await call(READ, { id: randomUUID() }, operator)), 'NOT_FOUND');

    const feats = `query F($id: ID!) { riskAssessment(id: $id) { features } }`;
    const forOps = await call<{ riskAssessment: { features: string[] } }>(feats, { id: a.id }, operator);
    assert.equal(forOps.data?.riskAssessment.features.length, 22);
    assert.ok(forOps.data!.riskAssessment.features.every((f) => Number.isFinite(Number(f))));
    assert.equal(codeOf(await call(feats, { id: a.id }, readerA)), 'FORBIDDEN');

    const mine = await call<{ riskAssessments: { items: { id: string }[] } }>(LIST, { c: customerA }, readerA);
    assert.deepEqual(mine.data?.riskAssessments.items.map((i) => i.id), [a.id]);
    assert.equal(codeOf(await call(LIST, { t: tenantA }, clientB)), 'FORBIDDEN');
    assert.deepEqual((await call<{ riskAssessments: { items: unknown[] } }>(LIST, {}, clientB)).data?.riskAssessments.items, []);
    assert.equal(codeOf(await call(LIST, {}, operator)), 'BAD_USER_INPUT');
    assert.equal((await call<{ riskAssessments: { items: unknown[] } }>(LIST, { t: tenantA }, operator)).data?.riskAssessments.items.length, 1);
  });

  it('alerts: raised once per finding, readable by their tenant, moved along the lifecycle idempotently; confirming marks the graph', async () => {
    const alerts = createAlertStore(driver);
    const finding = { tenantId: tenantA, kind: 'MULE' as const, subjectIds: [`acc-${randomUUID()}`], dedupeKey: `mule:${tenantA}:${randomUUID()}`, details: { inAmount: 10n ** 20n } };
    const raised = await Promise.all([alerts.raise(finding), alerts.raise(finding), alerts.raise(finding)]);
    assert.equal(raised.filter((r) => r.created).length, 1);
    assert.equal(new Set(raised.map((r) => r.alert.id)).size, 1);
    const id = raised[0]!.alert.id;

    const listed = await call<{ riskAlerts: { items: { id: string; status: string; details: string }[] } }>(ALERTS, { s: 'OPEN' }, readerA);
    assert.deepEqual(listed.data?.riskAlerts.items.map((i) => [i.id, i.status]), [[id, 'OPEN']]);
    assert.equal(JSON.parse(listed.data!.riskAlerts.items[0]!.details).inAmount, '100000000000000000000');
    assert.deepEqual((await call<{ riskAlerts: { items: unknown[] } }>(ALERTS, {}, clientB)).data?.riskAlerts.items, []);

    const move = (status: string, key: string, who: Identity, note?: string) => call<{ updateRiskAlertStatus: { status: string; note: string | null } }>(MOVE, { input: { alertId: id, status, idempotencyKey: key, ...(note ? { note } : {}) } }, who);
    assert.equal(codeOf(await move('INVESTIGATING', 'k1', clientB)), 'FORBIDDEN');
    assert.equal(codeOf(await move('INVESTIGATING', 'k1', readerA)), 'FORBIDDEN'); // no tenant:write
    const skip = await move('CONFIRMED_FRAUD', 'k0', clientA);
    assert.equal(codeOf(skip), 'CONFLICT');
    assert.equal(skip.errors?.[0]?.extensions?.details?.reason ?? skip.errors?.[0]?.extensions?.reason, 'INVALID_STATE_TRANSITION');

    assert.equal((await move('INVESTIGATING', 'k1', clientA, 'calling the customer')).data?.updateRiskAlertStatus.status, 'INVESTIGATING');
    assert.equal((await move('INVESTIGATING', 'k1', clientA, 'calling the customer')).data?.updateRiskAlertStatus.status, 'INVESTIGATING'); // replay
    assert.equal(codeOf(await move('DISMISSED', 'k1', clientA)), 'IDEMPOTENCY_KEY_REUSED');
    const confirmed = await move('CONFIRMED_FRAUD', 'k2', operator, 'confirmed');
    assert.deepEqual(confirmed.data?.updateRiskAlertStatus, { id, status: 'CONFIRMED_FRAUD', note: 'confirmed' });
    assert.equal(codeOf(await move('DISMISSED', 'k3', clientA)), 'CONFLICT');
    const marked = await driver.executeQuery('MATCH (a:Account {id: $id}) RETURN a.confirmedFraud AS f', { id: finding.subjectIds[0] });
    assert.equal(marked.records[0]?.get('f'), true);
    await driver.executeQuery('MATCH (a:Account {id: $id}) DETACH DELETE a', { id: finding.subjectIds[0] });
  });

  it("risk settings: a tenant's client reads and sets its own, operators name the tenant; another tenant's is FORBIDDEN", async () => {
    const SET = `mutation S($input: SetRiskSettingsInput!) { setRiskSettings(input: $input) { tenantId reviewAtBps blockAtBps blockAboveAmount { minorUnits currency } } }`;
    const GET = `query G($t: ID) { riskSettings(tenantId: $t) { tenantId reviewAtBps blockAtBps updatedAt } }`;
    const defaults = await call<{ riskSettings: { reviewAtBps: number; updatedAt: string | null } }>(GET, {}, readerA);
    assert.deepEqual([defaults.data?.riskSettings.reviewAtBps, defaults.data?.riskSettings.updatedAt], [5000, null]);
    const set = await call<{ setRiskSettings: Record<string, unknown> }>(SET, { input: { reviewAtBps: 4000, blockAboveAmount: [{ currency: 'BRL', minorUnits: '9223372036854775807' }] } }, clientA);
    assert.deepEqual(set.data?.setRiskSettings, { tenantId: tenantA, reviewAtBps: 4000, blockAtBps: 9000, blockAboveAmount: [{ minorUnits: '9223372036854775807', currency: 'BRL' }] });
    assert.equal(codeOf(await call(SET, { input: { reviewAtBps: 9500 } }, clientA)), 'BAD_USER_INPUT');
    assert.equal(codeOf(await call(SET, { input: { blockAboveAmount: [{ currency: 'BRL', minorUnits: '1.5' }] } }, clientA)), 'BAD_USER_INPUT');
    assert.equal(codeOf(await call(SET, { input: { tenantId: tenantA, reviewAtBps: 6000 } }, clientB)), 'FORBIDDEN');
    assert.equal(codeOf(await call(SET, { input: { reviewAtBps: 6000 } }, readerA)), 'FORBIDDEN');
    assert.equal(codeOf(await call(GET, { t: tenantA }, clientB)), 'FORBIDDEN');
    assert.equal(codeOf(await call(GET, {}, customer)), 'FORBIDDEN');
  });

  it('creditScore: customers are refused; an id identity cannot know is NOT_FOUND', async () => {
    const CREDIT = `query C($c: ID!) { creditScore(customerId: $c) { score } }`;
    assert.equal(codeOf(await call(CREDIT, { c: customerA }, customer)), 'FORBIDDEN');
    assert.equal(codeOf(await call(CREDIT, { c: 'not-a-uuid' }, readerA)), 'NOT_FOUND');
  });

  it('ready once Neo4j, Redis and both models are (checks fraudModel.<provider>, creditModel.<provider>)', async () => {
    const res = await fetch(new URL('/readyz', risk.url));
    assert.equal(res.status, 200);
    // Which execution provider runs each model is on /metrics too (no OPS_TOKEN outside production).
    const metrics = await (await fetch(new URL('/metrics', risk.url))).text();
    for (const model of ['fraud-gbdt', 'credit-scorecard']) {
      assert.match(metrics, new RegExp(`inference_model_info\\{[^}]*model="${model}"[^}]*provider="(cpu|cuda)"[^}]*\\} 1`), model);
    }
  });
});
