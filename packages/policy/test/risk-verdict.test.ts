import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { Identity } from '@baas/auth';
import {
  admitOutflow,
  authorizeOutflow,
  OUTFLOW_STEP_UP_ACTION,
  requireRiskVerdict,
  RISK_REVIEW_ACTION,
  RISK_REVIEW_MAX_AGE_SECONDS,
  screenOutflow,
  type Outflow,
  type RiskDecision,
  type RiskPort,
  type StandingPort,
} from '../src/index';

/* Risk's verdict on the policy path: pure logic over in-memory ports (no store involved). */

const now = 1_800_000_000;
const outflow = (amount: bigint): Outflow => ({ rail: 'TRANSFER', id: 'm-1', tenantId: 't', customerId: 'c', accountId: 'a', amount, currency: 'BRL', createdAt: new Date(now * 1000) });
const customer = (stepUpAt?: number, withPolicy = true): Identity => ({
  subject: 'c',
  kind: 'customer',
  tenantId: 't',
  scopes: [],
  ...(withPolicy ? { stepUpPolicy: { [OUTFLOW_STEP_UP_ACTION]: { maxAgeSeconds: 120, minAmountMinor: '100000' } } } : {}),
  ...(stepUpAt !== undefined ? { stepUpAt } : {}),
});
const apiClient: Identity = { subject: 'k', kind: 'api_client', tenantId: 't', scopes: ['accounts:write'] };
const operator: Identity = { subject: 'ops', kind: 'operator', tenantId: null, scopes: [] };
const service: Identity = { subject: 'payments', kind: 'service', tenantId: null, scopes: [] };

function ports(decision: RiskDecision, reasons: string[] = []) {
  const calls: string[] = [];
  const standing: StandingPort = { standing: async () => (calls.push('standing'), { customerActive: true, tenantActive: true }) };
  const risk: RiskPort = { assess: async (o) => (calls.push(`risk:${o.id}`), { decision, reasons, assessmentId: 'ra-1' }) };
  const limits = {
    check: async () => (calls.push('limits.check'), { ok: true as const }),
    reserve: async () => (calls.push('limits.reserve'), { ok: true as const }),
  };
  return { standing, risk, limits, calls };
}

const code = (c: string, check: (details: Record<string, unknown>) => boolean = () => true) => (e: { code?: string; details?: Record<string, unknown> }) =>
  e.code === c && check(e.details ?? {});

describe('risk on the outflow policy path', () => {
  it('scores at request time after standing and step-up; ALLOW passes and returns the verdict', async () => {
    const p = ports('ALLOW');
    assert.deepEqual(await admitOutflow(p, customer(), outflow(10n), now), { decision: 'ALLOW', reasons: [], assessmentId: 'ra-1' });
    assert.deepEqual(p.calls, ['standing', 'limits.check', 'risk:m-1']); // limits (read only) before risk when the rail gives them
    // Above the threshold without a step-up: risk is not asked.
    const q = ports('ALLOW');
    await assert.rejects(admitOutflow(q, customer(), outflow(500_000n), now), code('STEP_UP_REQUIRED', (d) => d.action === OUTFLOW_STEP_UP_ACTION));
    assert.deepEqual(q.calls, ['standing']);
    // Without a risk port, admission is standing and step-up only.
    assert.equal(await admitOutflow({ standing: p.standing }, customer(), outflow(10n), now), null);
  });

  it('BLOCK is RISK_DECLINED with the reason codes, for every principal', async () => {
    for (const who of [customer(now), apiClient, operator, service]) {
      const p = ports('BLOCK', ['MULE_SUSPECTED']);
      await assert.rejects(admitOutflow(p, who, outflow(10n), now), code('RISK_DECLINED', (d) => JSON.stringify(d.reasons) === '["MULE_SUSPECTED"]'));
    }
  });

  it('REVIEW asks a customer for a fresh passkey step-up even below the amount threshold', async () => {
    await assert.rejects(admitOutflow(ports('REVIEW'), customer(), outflow(10n), now), code('STEP_UP_REQUIRED', (d) => d.action === RISK_REVIEW_ACTION && d.maxAgeSeconds === 120));
    // The tenant's LARGE_TRANSFER maxAgeSeconds (120) applies; its amount threshold does not.
    await assert.rejects(admitOutflow(ports('REVIEW'), customer(now - 121), outflow(10n), now), code('STEP_UP_REQUIRED'));
    assert.deepEqual((await admitOutflow(ports('REVIEW'), customer(now - 60), outflow(10n), now))?.decision, 'REVIEW');
    // A tenant without a LARGE_TRANSFER entry: the platform default age.
    await assert.rejects(admitOutflow(ports('REVIEW'), customer(undefined, false), outflow(10n), now), code('STEP_UP_REQUIRED', (d) => d.maxAgeSeconds === RISK_REVIEW_MAX_AGE_SECONDS));
    assert.doesNotThrow(() => requireRiskVerdict(customer(now - RISK_REVIEW_MAX_AGE_SECONDS, false), { decision: 'REVIEW', reasons: [] }, now));
    assert.throws(() => requireRiskVerdict(customer(now - RISK_REVIEW_MAX_AGE_SECONDS - 1, false), { decision: 'REVIEW', reasons: [] }, now), code('STEP_UP_REQUIRED'));
  });

  it('REVIEW refuses an API client (no customer to confirm) and lets operators and internal services through', async () => {
    await assert.rejects(admitOutflow(ports('REVIEW', ['NEW_DEVICE']), apiClient, outflow(10n), now), code('RISK_DECLINED', (d) => d.decision === 'REVIEW'));
    for (const who of [operator, service]) assert.equal((await admitOutflow(ports('REVIEW'), who, outflow(10n), now))?.decision, 'REVIEW');
  });

  it('where money is committed, asks again with the same outflow id: only BLOCK declines', async () => {
    for (const [decision, approved] of [['ALLOW', true], ['REVIEW', true], ['BLOCK', false]] as const) {
      const p = ports(decision, ['X', 'Y']);
      const result = await authorizeOutflow(p, outflow(10n));
      assert.equal(result.approved, approved);
      if (!result.approved) assert.deepEqual(result, { approved: false, code: 'RISK_DECLINED', reason: 'X,Y' });
      assert.deepEqual(p.calls, ['limits.reserve', 'risk:m-1']);
    }
  });

  it('screening ahead of time applies the same verdicts after the limits check', async () => {
    const p = ports('REVIEW');
    await assert.rejects(screenOutflow(p, customer(), outflow(10n), now), code('STEP_UP_REQUIRED', (d) => d.action === RISK_REVIEW_ACTION));
    assert.deepEqual(p.calls, ['standing', 'limits.check', 'risk:m-1']);
    await screenOutflow(ports('REVIEW'), customer(now), outflow(10n), now);
    await assert.rejects(screenOutflow(ports('BLOCK', ['VELOCITY']), customer(now), outflow(10n), now), code('RISK_DECLINED'));
  });
});
