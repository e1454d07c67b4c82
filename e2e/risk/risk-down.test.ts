import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { uuidv7 } from '@baas/db';
import { eventually } from '@baas/testing';
import { errorCode, errorDetails, RISK_ASSESSMENTS, SET_ACCOUNT_SETTINGS, startRiskWorld, type RiskWorld, type Tenant } from './risk-world';

/**
 * Issue 12: with the risk subgraph stopped, each tenant's fail mode (kept in accounts' tenant
 * settings, so it is known while risk is down) decides, through the gateway: a fail-OPEN tenant's
 * transfer goes through unscored, a fail-CLOSED tenant's is refused with RISK_DECLINED and reason
 * RISK_UNAVAILABLE, and nothing moves. (Risk answering 500 instead of being gone:
 * subgraphs/accounts/test/risk/fail-mode.test.ts.)
 */
describe('risk: the tenant fail mode with the risk subgraph stopped', { timeout: 300_000 }, () => {
  let w: RiskWorld;
  let open: Tenant;
  let closed: Tenant;

  before(async () => {
    w = await startRiskWorld();
    open = await w.newTenant();
    closed = await w.newTenant();
    for (const [tenant, mode] of [[open, 'OPEN'], [closed, 'CLOSED']] as const) {
      const set = await w.ok(SET_ACCOUNT_SETTINGS, { input: { tenantId: tenant.id, currencies: ['BRL'], riskFailMode: mode } }, w.operator);
      assert.equal(set.setTenantAccountSettings.riskFailMode, mode);
    }
  });
  after(async () => {
    await w?.stop();
  });

  it('fail-OPEN moves money and fail-CLOSED refuses it (RISK_UNAVAILABLE) while risk is down; both are scored again once risk is back', async () => {
    const alice = await w.newCustomer(open);
    const carol = await w.newCustomer(closed);
    const [aFrom, aTo] = [await w.openAccount(alice, 10_000n), await w.openAccount(alice)];
    const [cFrom, cTo] = [await w.openAccount(carol, 10_000n), await w.openAccount(carol)];

    // Risk up: both tenants' transfers are scored and stored.
    for (const [who, tenant, from, to] of [[alice, open, aFrom, aTo], [carol, closed, cFrom, cTo]] as const) {
      const id = uuidv7();
      const res = await w.transfer(who.identity, { id, fromAccountId: from.id, toAccountId: to.id, amount: 100n });
      assert.equal(res.data?.transfer.status, 'POSTED', JSON.stringify(res));
      assert.ok(await w.assessmentOf(tenant.client, who.id, id), 'scored by the risk subgraph');
    }

    await w.platform.stopSubgraph('risk');
    // The gateway notices (health checks): risk's own API answers an error, not data.
    await eventually(async () => assert.ok((await w.request(RISK_ASSESSMENTS, {}, open.client)).errors?.length), { attempts: 100, delayMs: 100 });

    const openId = uuidv7();
    const through = await w.transfer(alice.identity, { id: openId, fromAccountId: aFrom.id, toAccountId: aTo.id, amount: 300n });
    assert.equal(through.errors, undefined, JSON.stringify(through.errors));
    assert.equal(through.data?.transfer.status, 'POSTED');
    assert.deepEqual(await w.balance(aTo.id), { posted: 400n, available: 400n });

    const closedId = uuidv7();
    for (const as of [carol.identity, closed.client]) {
      const refused = await w.transfer(as, { id: closedId, fromAccountId: cFrom.id, toAccountId: cTo.id, amount: 300n });
      assert.equal(errorCode(refused), 'RISK_DECLINED', JSON.stringify(refused));
      assert.deepEqual(errorDetails(refused).reasons, ['RISK_UNAVAILABLE']);
    }
    assert.deepEqual(await w.balance(cFrom.id), { posted: 9_900n, available: 9_900n }, 'nothing moved');
    assert.deepEqual(await w.balance(cTo.id), { posted: 100n, available: 100n });

    // Risk back: the refused transfer, repeated with the same id, is scored and goes through.
    await w.platform.restartSubgraph('risk');
    await eventually(async () => assert.equal((await w.request(RISK_ASSESSMENTS, {}, closed.client)).errors, undefined), { attempts: 100, delayMs: 100 });
    const retried = await w.transfer(carol.identity, { id: closedId, fromAccountId: cFrom.id, toAccountId: cTo.id, amount: 300n });
    assert.equal(retried.data?.transfer.status, 'POSTED', JSON.stringify(retried));
    assert.equal((await w.assessmentOf(closed.client, carol.id, closedId))?.decision, 'ALLOW');
  });
});
