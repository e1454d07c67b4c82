import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { randomUUID } from 'node:crypto';
import fc from 'fast-check';
import type { Identity } from '@baas/auth';
import { binOf } from '../../src/domain/credit-score';
import { creditRowFromFlows } from '../../src/store/credit-inputs-store';
import { loadCreditScorecard, type CreditScorecardModel } from '../../src/store/credit-scorecard-store';
import { getCreditScore, type GetCreditScoreDeps } from '../../src/use-cases/get-credit-score';

type CreditGolden = { raw: number[][]; score: number[]; reasons: string[][]; onnxruntime: number[][] };
const golden = JSON.parse(readFileSync(new URL('../../../../models/risk/golden/credit.json', import.meta.url), 'utf8')) as CreditGolden;

const tenant = randomUUID();
const customerId = randomUUID();
const client: Identity = { subject: randomUUID(), kind: 'api_client', tenantId: tenant, scopes: [] };
const operator: Identity = { subject: 'ops', kind: 'operator', tenantId: null, scopes: [] };
const DAY = 24 * 3600 * 1000;

describe('creditScore on the real scorecard model (ONNX through @baas/inference)', { timeout: 60_000 }, () => {
  let model: CreditScorecardModel;
  let row: (number | null)[] = [];
  let deps: GetCreditScoreDeps;
  before(async () => {
    model = await loadCreditScorecard({ provider: 'cpu', batchWindowMs: 0 });
    deps = {
      directory: { customerStanding: async (t, c) => (t === tenant && c === customerId ? { tenantId: t, customerId: c } : null) },
      inputs: { read: async () => row },
      model,
    };
  });
  after(() => model?.close());

  it('with every input known, equals the golden score and reasons, and the golden P(default) in basis points', async () => {
    for (let i = 0; i < golden.raw.length; i++) {
      row = golden.raw[i]!;
      const r = await getCreditScore(deps, client, { customerId });
      assert.equal(r.score, golden.score[i], `row ${i}: score`);
      assert.deepEqual(r.reasons, golden.reasons[i], `row ${i}: reasons`);
      assert.equal(r.probabilityOfDefaultBps, Math.floor(golden.onnxruntime[i]![1]! * 10_000 + 0.5), `row ${i}: bps`);
      assert.deepEqual(r.unavailableInputs, []);
      assert.equal(r.modelVersion, 'credit-scorecard@1');
    }
  });

  it('an unknown input is scored at its neutral bin (WoE nearest 0), listed, and never a reason', async () => {
    const card = model.card;
    const base = golden.raw[0]!;
    for (let j = 0; j < card.features.length; j++) {
      const f = card.features[j]!;
      let neutral = 0;
      f.woe.forEach((w, b) => (Math.abs(w) < Math.abs(f.woe[neutral]!) ? (neutral = b) : undefined));
      const at = neutral === 0 ? f.edges[0]! - 1 : f.edges[neutral - 1]!;
      assert.equal(binOf(f.edges, at), neutral);
      row = base.map((x, i) => (i === j ? null : x));
      const unknown = await getCreditScore(deps, client, { customerId });
      row = base.map((x, i) => (i === j ? at : x));
      const pinned = await getCreditScore(deps, client, { customerId });
      assert.equal(unknown.score, pinned.score, f.name);
      assert.deepEqual(unknown.unavailableInputs, [f.name]);
      assert.ok(!unknown.reasons.includes(f.reasonCode), `${f.name} is no reason when unknown`);
    }
  });

  it("a customer identity does not know in the caller's tenant is NOT_FOUND; operators name the tenant", async () => {
    row = golden.raw[0]!;
    await assert.rejects(getCreditScore(deps, client, { customerId: randomUUID() }), { code: 'NOT_FOUND' });
    await assert.rejects(getCreditScore(deps, { ...client, tenantId: randomUUID() }, { customerId }), { code: 'NOT_FOUND' });
    await assert.rejects(getCreditScore(deps, client, { customerId, tenantId: randomUUID() }), { code: 'FORBIDDEN' });
    await assert.rejects(getCreditScore(deps, operator, { customerId }), { code: 'BAD_USER_INPUT' });
    assert.equal((await getCreditScore(deps, operator, { customerId, tenantId: tenant })).score, golden.score[0]);
    await assert.rejects(getCreditScore(deps, { ...client, kind: 'customer', subject: customerId }, { customerId }), { code: 'FORBIDDEN' });
  });
});

describe('credit inputs from the graph flows (pure)', () => {
  const now = new Date('2026-06-30T12:00:00.000Z');
  it('a customer the graph does not know has every flow input unknown; overdraft days are 0', () => {
    assert.deepEqual(creditRowFromFlows(null, now), [null, null, null, null, 0, null, null, null]);
    assert.deepEqual(creditRowFromFlows({ accounts: 0, inflows: [], outflows90d: 0n }, now), [null, null, null, null, 0, null, null, null]);
  });

  it('no inflows: income 0, no month with income, ratio capped at 5', () => {
    assert.deepEqual(creditRowFromFlows({ accounts: 1, inflows: [], outflows90d: 500n }, now), [null, 0, 0, null, 0, 5, null, null]);
  });

  it('monthly mean of 180 days, 30-day periods with income, ratio over 90 days; older or future flows ignored', () => {
    const inflows = [
      { amount: 300_000n, at: now.getTime() - 10 * DAY },
      { amount: 300_000n, at: now.getTime() - 40 * DAY },
      { amount: 600_000n, at: now.getTime() - 100 * DAY },
      { amount: 999_999n, at: now.getTime() - 200 * DAY },
      { amount: 999_999n, at: now.getTime() + DAY },
    ];
    const r = creditRowFromFlows({ accounts: 2, inflows, outflows90d: 450_000n }, now);
    assert.equal(r[1], Math.log1p(200_000));
    assert.equal(r[2], 3);
    assert.equal(r[5], 0.75);
  });

  it('every row is finite and in the documented ranges (fast-check)', () => {
    fc.assert(
      fc.property(
        fc.array(fc.record({ amount: fc.bigInt({ min: 0n, max: 2n ** 63n - 1n }), ageMs: fc.integer({ min: -DAY, max: 400 * DAY }) }), { maxLength: 40 }),
        fc.bigInt({ min: 0n, max: 2n ** 63n - 1n }),
        (flows, out) => {
          const r = creditRowFromFlows({ accounts: 1, inflows: flows.map((f) => ({ amount: f.amount, at: now.getTime() - f.ageMs })), outflows90d: out }, now);
          assert.ok(Number.isFinite(r[1]!) && r[1]! >= 0);
          assert.ok(Number.isInteger(r[2]) && r[2]! >= 0 && r[2]! <= 6);
          assert.ok(r[5]! >= 0 && r[5]! <= 5);
        },
      ),
    );
  });
});
