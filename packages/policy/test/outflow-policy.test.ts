import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { Identity } from '@baas/auth';
import { admitOutflow, authorizeOutflow, OUTFLOW_STEP_UP_ACTION, requireOutflowStepUp, screenOutflow, type Outflow, type PolicyPorts, type StandingPort } from '../src/index';

const now = 1_800_000_000;
const outflow = (amount: bigint, rail = 'TRANSFER'): Outflow => ({
  rail,
  id: '018f0000-0000-7000-8000-000000000001',
  tenantId: 't',
  customerId: 'c',
  accountId: 'a',
  amount,
  currency: 'BRL',
  createdAt: new Date(now * 1000),
});
const customer = (stepUpAt?: number): Identity => ({
  subject: 'c',
  kind: 'customer',
  tenantId: 't',
  scopes: [],
  stepUpPolicy: { [OUTFLOW_STEP_UP_ACTION]: { maxAgeSeconds: 300, minAmountMinor: '100' } },
  ...(stepUpAt !== undefined ? { stepUpAt } : {}),
});

/** In-memory ports recording the order they were asked in (pure logic: no store involved). */
function ports(opts: { limit?: bigint; riskOk?: boolean; customerActive?: boolean; tenantActive?: boolean; known?: boolean } = {}) {
  const calls: string[] = [];
  const standing: StandingPort = {
    standing: async () => (calls.push('standing'), opts.known === false ? null : { customerActive: opts.customerActive ?? true, tenantActive: opts.tenantActive ?? true }),
  };
  const fits = (o: Outflow) => opts.limit === undefined || o.amount <= opts.limit;
  const p: PolicyPorts = {
    limits: {
      check: async (o) => (calls.push('limits.check'), fits(o) ? { ok: true } : { ok: false, limit: 'PER_TRANSACTION' }),
      reserve: async (o) => (calls.push('limits.reserve'), fits(o) ? { ok: true } : { ok: false, limit: 'PER_TRANSACTION' }),
    },
    risk: { assess: async () => (calls.push('risk'), opts.riskOk === false ? { decision: 'BLOCK', reasons: ['VELOCITY'] } : { decision: 'ALLOW', reasons: [] }) },
  };
  return { p: { ...p, standing }, calls, standing };
}

describe('the outflow policy path', () => {
  it('asks step-up above the tenant threshold, for every rail alike', () => {
    for (const rail of ['TRANSFER', 'FX', 'PIX', 'CARD_AUTHORISATION']) {
      assert.doesNotThrow(() => requireOutflowStepUp(customer(), outflow(99n, rail), now));
      assert.throws(() => requireOutflowStepUp(customer(), outflow(100n, rail), now), (e: { code?: string }) => e.code === 'STEP_UP_REQUIRED');
      assert.throws(() => requireOutflowStepUp(customer(now - 301), outflow(500_000n, rail), now), (e: { code?: string }) => e.code === 'STEP_UP_REQUIRED');
      assert.doesNotThrow(() => requireOutflowStepUp(customer(now - 10), outflow(500_000n, rail), now));
    }
    // A principal without a step-up policy (an API client) passes.
    assert.doesNotThrow(() => requireOutflowStepUp({ subject: 'k', kind: 'api_client', tenantId: 't', scopes: ['accounts:write'] }, outflow(10n ** 18n), now));
  });

  it('admission with a limits port: standing, step-up, limits (read only), then risk; over a limit it stops before risk', async () => {
    const over = ports({ limit: 50n });
    await assert.rejects(admitOutflow({ standing: over.standing, limits: over.p.limits, risk: over.p.risk }, customer(now - 10), outflow(60n, 'PIX'), now), (e: { code?: string; details?: { limit?: string } }) => e.code === 'LIMIT_EXCEEDED' && e.details?.limit === 'PER_TRANSACTION');
    assert.deepEqual(over.calls, ['standing', 'limits.check']);
    const fits = ports({ limit: 50n });
    await admitOutflow({ standing: fits.standing, limits: fits.p.limits, risk: fits.p.risk }, customer(now - 10), outflow(50n, 'PIX'), now);
    assert.deepEqual(fits.calls, ['standing', 'limits.check', 'risk']);
  });

  it('refuses an amount outside 1..2^63-1 as a bug, never as a pass', async () => {
    const { p } = ports();
    for (const amount of [0n, -1n, 2n ** 63n]) {
      assert.throws(() => requireOutflowStepUp(customer(now), outflow(amount), now), RangeError);
      await assert.rejects(authorizeOutflow(p, outflow(amount)), RangeError);
    }
  });

  it('runs limits before risk, and stops at the first refusal with the same codes', async () => {
    let { p, calls } = ports();
    assert.deepEqual(await authorizeOutflow(p, outflow(10n)), { approved: true });
    assert.deepEqual(calls, ['limits.reserve', 'risk']);

    ({ p, calls } = ports({ limit: 5n, riskOk: false }));
    assert.deepEqual(await authorizeOutflow(p, outflow(10n)), { approved: false, code: 'LIMIT_EXCEEDED', reason: 'PER_TRANSACTION' });
    assert.deepEqual(calls, ['limits.reserve'], 'risk is not asked once a limit refused');

    ({ p, calls } = ports({ riskOk: false }));
    assert.deepEqual(await authorizeOutflow(p, outflow(10n)), { approved: false, code: 'RISK_DECLINED', reason: 'VELOCITY' });

    ({ p, calls } = ports());
    await authorizeOutflow(p, outflow(10n), { reserved: true });
    assert.deepEqual(calls, ['risk'], 'a resumed outflow does not reserve twice');
  });

  it('screens ahead of time in the same order, reserving nothing, refusals as coded errors', async () => {
    let { p, calls } = ports({ limit: 1000n });
    await assert.rejects(screenOutflow(p, customer(), outflow(500_000n, 'FX'), now), (e: { code?: string }) => e.code === 'STEP_UP_REQUIRED');
    assert.deepEqual(calls, ['standing'], 'standing, then step-up, come first');
    calls.length = 0;
    await assert.rejects(screenOutflow(p, customer(now), outflow(500_000n, 'FX'), now), (e: { code?: string }) => e.code === 'LIMIT_EXCEEDED');
    assert.deepEqual(calls, ['standing', 'limits.check']);
    ({ p, calls } = ports({ riskOk: false }));
    await assert.rejects(screenOutflow(p, customer(now), outflow(50n, 'FX'), now), (e: { code?: string }) => e.code === 'RISK_DECLINED');
    assert.deepEqual(calls, ['standing', 'limits.check', 'risk']);
  });

  it('moves no money for a customer or tenant that is not active, whatever the token says', async () => {
    const reason = (r: string) => (e: { code?: string; extensions?: { details?: { reason?: string } }; details?: { reason?: string } }) =>
      e.code === 'FORBIDDEN' && JSON.stringify(e).includes(r);
    for (const [opts, why] of [
      [{ customerActive: false }, 'CUSTOMER_NOT_ACTIVE'],
      [{ tenantActive: false }, 'TENANT_NOT_ACTIVE'],
      [{ known: false }, 'TENANT_NOT_ACTIVE'],
    ] as const) {
      for (const who of [customer(now), { subject: 'k', kind: 'api_client', tenantId: 't', scopes: ['accounts:write'] } as Identity]) {
        const { standing, calls } = ports(opts);
        await assert.rejects(admitOutflow({ standing }, who, outflow(10n), now), reason(why));
        assert.deepEqual(calls, ['standing']);
      }
    }
    // The platform's own movements (internal services: returns, fees, settlement) do not ask.
    const { standing, calls } = ports({ customerActive: false });
    await admitOutflow({ standing }, { subject: 'payments', kind: 'service', tenantId: null, scopes: [] }, outflow(10n), now);
    assert.deepEqual(calls, []);
  });
});
