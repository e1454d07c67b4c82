import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import fc from 'fast-check';
import {
  amountToAverage,
  buildFraudFeatures,
  FRAUD_FEATURE_NAMES,
  hourLocal,
  RAILS,
  type FeatureInputs,
  type VelocitySnapshot,
} from '../../src/domain/fraud-features';
import { decide, scoreBpsFromProbability, severity } from '../../src/domain/risk-decision';
import { ALL_REASON_CODES } from '../../src/domain/reason-codes';
import { applyRiskSettingsPatch, defaultRiskSettings } from '../../src/domain/risk-settings';

const RISK = fileURLToPath(new URL('../../../../models/risk/', import.meta.url));
const contract = JSON.parse(readFileSync(RISK + 'fraud-features.json', 'utf8')) as { features: { index: number; name: string; absent: number | null }[] };
const golden = JSON.parse(readFileSync(RISK + 'golden/fraud.json', 'utf8')) as { inputs: number[][] };

const zero = { count: 0, sum: 0n };
const empty: VelocitySnapshot = { payerOut1h: zero, payerOut24h: zero, payerOut30d: zero, payeeIn1h: zero, payeeIn24h: zero, payeeKnown: null, deviceSeen: null, ipSeen: null, accountOpenedAt: null };
const noGraph = { customer: null, payer: null, payee: null };

const totals = fc.record({ count: fc.integer({ min: 0, max: 100_000 }), sum: fc.bigInt({ min: 0n, max: 2n ** 63n - 1n }) });
const flag = fc.constantFrom(true, false, null);
const finiteOrNot = fc.oneof(fc.double({ min: -1e9, max: 1e9, noNaN: true }), fc.constantFrom(Number.NaN, Infinity, -Infinity));
const inputs: fc.Arbitrary<FeatureInputs> = fc.record({
  amount: fc.bigInt({ min: 1n, max: 2n ** 62n }),
  rail: fc.constantFrom(...RAILS),
  occurredAt: fc.date({ min: new Date('2020-01-01T00:00:00Z'), max: new Date('2035-01-01T00:00:00Z'), noInvalidDate: true }),
  now: fc.date({ min: new Date('2020-01-01T00:00:00Z'), max: new Date('2035-01-01T00:00:00Z'), noInvalidDate: true }),
  velocity: fc.record({
    payerOut1h: totals,
    payerOut24h: totals,
    payerOut30d: totals,
    payeeIn1h: totals,
    payeeIn24h: totals,
    payeeKnown: flag,
    deviceSeen: flag,
    ipSeen: flag,
    accountOpenedAt: fc.option(fc.date({ min: new Date('1990-01-01T00:00:00Z'), max: new Date('2035-01-01T00:00:00Z'), noInvalidDate: true })),
  }),
  graph: fc.record({
    customer: fc.option(fc.record({ sharedIdentifierDegree: finiteOrNot, ringSize: finiteOrNot, fraudDistance: finiteOrNot })),
    payer: fc.option(fc.record({ fraudDistance: finiteOrNot, muleScore: finiteOrNot })),
    payee: fc.option(fc.record({ fraudDistance: finiteOrNot, muleScore: finiteOrNot })),
  }),
});

describe('fraud features (models/risk/fraud-features.json)', () => {
  it('names the 22 features in the contract order', () => {
    assert.deepEqual([...FRAUD_FEATURE_NAMES], contract.features.map((f) => f.name));
    contract.features.forEach((f, i) => assert.equal(f.index, i));
  });

  it('with nothing known, sends every absent value: the golden all-absent row exactly', () => {
    // 03:00 UTC = 00:00 in Sao Paulo; amount 0 only to match the golden row (scoring refuses it).
    const f = buildFraudFeatures({ amount: 0n, rail: 'TRANSFER', occurredAt: new Date('2026-03-02T03:00:00Z'), now: new Date('2026-03-02T03:00:00Z'), velocity: empty, graph: noGraph });
    assert.deepEqual(Array.from(f), golden.inputs[48]);
    contract.features.forEach((c, i) => {
      if (c.absent !== null && c.name !== 'amount_to_avg_30d') assert.equal(f[i], c.absent, c.name);
    });
  });

  it('computes a hand-made case value by value (float32 of the float64 value)', () => {
    const now = new Date('2026-03-02T17:30:00Z'); // 14:30 local
    const f = buildFraudFeatures({
      amount: 150_000n,
      rail: 'PIX',
      occurredAt: now,
      now,
      velocity: {
        payerOut1h: { count: 2, sum: 30_000n },
        payerOut24h: { count: 5, sum: 90_000n },
        payerOut30d: { count: 20, sum: 300_000n },
        payeeIn1h: { count: 1, sum: 7n },
        payeeIn24h: { count: 3, sum: 9_007_199_254_740_993n },
        payeeKnown: false,
        deviceSeen: false,
        ipSeen: true,
        accountOpenedAt: new Date('2025-03-02T17:30:00Z'),
      },
      graph: { customer: { sharedIdentifierDegree: 250, ringSize: 4, fraudDistance: 3 }, payer: { fraudDistance: 2, muleScore: 0.25 }, payee: { fraudDistance: 1, muleScore: 0.8 } },
    });
    const want = [2, 5, Math.log1p(30_000), Math.log1p(90_000), 1, 3, Math.log1p(7), Math.log1p(9_007_199_254_740_993), 1, 1, 0, Math.log1p(150_000), 10, 365, 14, 1, 100, 4, 2, 1, 0.25, 0.8];
    assert.deepEqual(Array.from(f), want.map(Math.fround));
  });

  it('every vector has 22 finite values within their ranges, whatever the sources hold', () => {
    fc.assert(
      fc.property(inputs, (x) => {
        const f = buildFraudFeatures(x);
        assert.equal(f.length, 22);
        for (const v of f) assert.ok(Number.isFinite(v));
        assert.ok(f[8] === 0 || f[8] === 1);
        assert.ok(f[12] === -1 || (f[12]! >= 0 && f[12]! <= 1000));
        assert.ok(f[13]! >= 0 && f[13]! <= 3650);
        assert.ok(Number.isInteger(f[14]) && f[14]! >= 0 && f[14]! <= 23);
        assert.ok(f[16]! >= 0 && f[16]! <= 100 && f[17]! >= 1 && f[17]! <= 100);
        for (const i of [18, 19]) assert.ok(f[i]! >= 0 && f[i]! <= 6);
        for (const i of [20, 21]) assert.ok(f[i]! >= 0 && f[i]! <= 1);
      }),
      { numRuns: 300 },
    );
  });

  it('amount_to_avg_30d is exact on bigints: amount * count / sum, capped at 1000, -1 without history', () => {
    assert.equal(amountToAverage(100n, zero), -1);
    assert.equal(amountToAverage(3n, { count: 2, sum: 4n }), 1.5);
    fc.assert(
      fc.property(fc.bigInt({ min: 1n, max: 2n ** 62n }), fc.integer({ min: 1, max: 10_000 }), fc.bigInt({ min: 1n, max: 2n ** 62n }), (amount, count, sum) => {
        const r = amountToAverage(amount, { count, sum });
        const exact = Number((amount * BigInt(count) * 1_000_000n) / sum) / 1_000_000;
        assert.equal(r, Math.min(1000, exact));
      }),
    );
  });

  it('hour_local is Sao Paulo time (UTC-3 since 2019) by default, another zone when given', () => {
    fc.assert(
      fc.property(fc.date({ min: new Date('2020-01-01T00:00:00Z'), max: new Date('2035-01-01T00:00:00Z'), noInvalidDate: true }), (d) => {
        assert.equal(hourLocal(d), (d.getUTCHours() + 21) % 24);
      }),
    );
    assert.equal(hourLocal(new Date('2026-07-01T12:00:00Z'), 'Europe/Lisbon'), 13);
  });

  it('a fixed local hour (RISK_LOCAL_HOUR, test platforms) replaces the clock\'s and changes nothing else', () => {
    const at = { amount: 1000n, rail: 'TRANSFER' as const, occurredAt: new Date('2026-03-02T03:00:00Z'), now: new Date('2026-03-02T03:00:00Z'), velocity: empty, graph: noGraph };
    const clock = Array.from(buildFraudFeatures(at));
    const fixed = Array.from(buildFraudFeatures({ ...at, localHour: 14 }));
    const hour = contract.features.findIndex((c) => c.name === 'hour_local');
    assert.deepEqual([clock[hour], fixed[hour]], [0, 14]);
    assert.deepEqual(fixed.filter((_, i) => i !== hour), clock.filter((_, i) => i !== hour));
  });
});

describe('risk decision', () => {
  const settings = defaultRiskSettings('t');
  const normal = golden.inputs[2]!; // fraud distances 2, mule scores low

  it('P(fraud) -> basis points: floor(p * 10000 + 0.5), integers in 0-10000, monotone', () => {
    assert.equal(scoreBpsFromProbability(0.12345), 1235);
    assert.equal(scoreBpsFromProbability(0.00004999), 0);
    assert.equal(scoreBpsFromProbability(1), 10_000);
    assert.equal(scoreBpsFromProbability(Number.NaN), 10_000);
    fc.assert(
      fc.property(fc.double({ min: 0, max: 1, noNaN: true }), fc.double({ min: 0, max: 1, noNaN: true }), (a, b) => {
        const [lo, hi] = a <= b ? [a, b] : [b, a];
        const x = scoreBpsFromProbability(lo);
        assert.ok(Number.isInteger(x) && x >= 0 && x <= 10_000);
        assert.ok(x <= scoreBpsFromProbability(hi));
      }),
    );
  });

  it('thresholds: ALLOW below review, REVIEW from review, BLOCK from block; ALLOW has no reasons', () => {
    const at = (scoreBps: number) => decide({ scoreBps, features: normal, amount: 100n, currency: 'BRL', settings });
    assert.deepEqual(at(4999), { decision: 'ALLOW', reasons: [] });
    assert.equal(at(5000).decision, 'REVIEW');
    assert.equal(at(5000).reasons[0], 'MODEL_SCORE_ELEVATED');
    assert.equal(at(9000).decision, 'BLOCK');
    assert.equal(at(9000).reasons[0], 'MODEL_SCORE_HIGH');
  });

  it('a confirmed fraudster paying is BLOCK whatever the score and settings; the tenant limit blocks too', () => {
    const fraudster = [...normal];
    fraudster[18] = 0;
    const off = applyRiskSettingsPatch(settings, { blockConfirmedFraud: false, reviewAtBps: 10_000, blockAtBps: 10_000 }, new Date());
    assert.deepEqual(decide({ scoreBps: 0, features: fraudster, amount: 1n, currency: 'BRL', settings: off }).reasons.slice(0, 1), ['CONFIRMED_FRAUDSTER']);
    assert.equal(decide({ scoreBps: 0, features: fraudster, amount: 1n, currency: 'BRL', settings: off }).decision, 'BLOCK');
    const limited = applyRiskSettingsPatch(settings, { blockAboveAmount: { BRL: 1_000n } }, new Date());
    assert.equal(decide({ scoreBps: 0, features: normal, amount: 1_000n, currency: 'BRL', settings: limited }).decision, 'ALLOW');
    assert.deepEqual(decide({ scoreBps: 0, features: normal, amount: 1_001n, currency: 'BRL', settings: limited }), { decision: 'BLOCK', reasons: ['AMOUNT_ABOVE_TENANT_LIMIT'] });
    assert.equal(decide({ scoreBps: 0, features: normal, amount: 1_001n, currency: 'USD', settings: limited }).decision, 'ALLOW');
  });

  it('graph evidence is a floor: a mule pattern or a fraudster one hop away is at least REVIEW, and more of it is never milder', () => {
    const withGraph = (payerMule: number, payeeMule: number, payerDistance: number, payeeDistance: number) => {
      const f = [...normal];
      f[20] = payerMule;
      f[21] = payeeMule;
      f[18] = payerDistance;
      f[19] = payeeDistance;
      return decide({ scoreBps: 0, features: f, amount: 100n, currency: 'BRL', settings });
    };
    assert.deepEqual(withGraph(0.59, 0, 6, 6), { decision: 'ALLOW', reasons: [] });
    assert.deepEqual(withGraph(1, 0, 6, 6).decision, 'REVIEW');
    assert.equal(withGraph(1, 0, 6, 6).reasons[0], 'MULE_PATTERN');
    assert.equal(withGraph(0, 0.6, 6, 6).decision, 'REVIEW');
    assert.equal(withGraph(0, 0, 6, 1).decision, 'REVIEW');
    assert.equal(withGraph(0, 0, 6, 1).reasons[0], 'CONFIRMED_FRAUD_PROXIMITY');
    assert.equal(withGraph(0, 0, 2, 6).decision, 'ALLOW');
    fc.assert(
      fc.property(fc.double({ min: 0, max: 1, noNaN: true }), fc.double({ min: 0, max: 1, noNaN: true }), fc.integer({ min: 0, max: 6 }), fc.integer({ min: 0, max: 6 }), (m1, m2, d1, d2) => {
        const weaker = withGraph(Math.min(m1, m2), 0, Math.max(d1, d2), 6);
        const stronger = withGraph(Math.max(m1, m2), 0, Math.min(d1, d2), 6);
        assert.ok(severity(weaker.decision) <= severity(stronger.decision));
      }),
    );
  });

  const anySettings = fc
    .record({
      review: fc.integer({ min: 1, max: 10_000 }),
      span: fc.integer({ min: 0, max: 10_000 }),
      limit: fc.option(fc.bigInt({ min: 0n, max: 10n ** 12n })),
      blockConfirmedFraud: fc.boolean(),
    })
    .map((s) => ({
      reviewAtBps: s.review,
      blockAtBps: Math.min(10_000, s.review + s.span),
      rules: { blockAboveAmount: { BRL: s.limit }, blockConfirmedFraud: s.blockConfirmedFraud },
    }));
  const anyFeatures = inputs.map((x) => buildFraudFeatures(x));

  it('is monotone: a higher score or a larger amount never gives a milder decision; reasons are known codes, once each', () => {
    fc.assert(
      fc.property(anySettings, anyFeatures, fc.integer({ min: 0, max: 10_000 }), fc.integer({ min: 0, max: 10_000 }), fc.bigInt({ min: 1n, max: 10n ** 13n }), fc.bigInt({ min: 0n, max: 10n ** 13n }), (s, f, a, b, amount, extra) => {
        const [lo, hi] = a <= b ? [a, b] : [b, a];
        const low = decide({ scoreBps: lo, features: f, amount, currency: 'BRL', settings: s });
        const high = decide({ scoreBps: hi, features: f, amount, currency: 'BRL', settings: s });
        const larger = decide({ scoreBps: lo, features: f, amount: amount + extra, currency: 'BRL', settings: s });
        assert.ok(severity(low.decision) <= severity(high.decision));
        assert.ok(severity(low.decision) <= severity(larger.decision));
        for (const r of [low, high, larger]) {
          assert.equal(new Set(r.reasons).size, r.reasons.length);
          for (const code of r.reasons) assert.ok(ALL_REASON_CODES.includes(code));
          assert.equal(r.reasons.length === 0, r.decision === 'ALLOW');
        }
      }),
      { numRuns: 300 },
    );
  });

  it('settings patches are checked', () => {
    const d = defaultRiskSettings('t');
    assert.throws(() => applyRiskSettingsPatch(d, { reviewAtBps: 9500 }, new Date()), { code: 'BAD_USER_INPUT' });
    assert.throws(() => applyRiskSettingsPatch(d, { blockAtBps: 10_001 }, new Date()), { code: 'BAD_USER_INPUT' });
    assert.throws(() => applyRiskSettingsPatch(d, { blockAboveAmount: { brl: 1n } }, new Date()), { code: 'BAD_USER_INPUT' });
    assert.throws(() => applyRiskSettingsPatch(d, { blockAboveAmount: { BRL: -1n } }, new Date()), { code: 'BAD_USER_INPUT' });
  });
});
