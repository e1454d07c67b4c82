import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { uuidv7 } from '@baas/db';
import { PayPixDocument, RegisterPixKeyDocument } from '@baas/sdk';
import { startRiskWorld, type RiskWorld } from '../risk/risk-world';

describe('payments smoke', { timeout: 120_000 }, () => {
  let w: RiskWorld;
  before(async () => {
    w = await startRiskWorld();
  });
  after(async () => {
    await w?.stop();
  });
  it('a customer pays another tenant customer by EVP key', async () => {
    const ta = await w.newTenant();
    const tb = await w.newTenant();
    const alice = await w.newCustomer(ta);
    const bob = await w.newCustomer(tb);
    const aAcc = await w.openAccount(alice);
    const bAcc = await w.openAccount(bob, 100_000n);
    const key = await w.ok(RegisterPixKeyDocument, { input: { id: uuidv7(), accountId: aAcc.id, keyType: 'EVP' } }, alice.identity);
    assert.equal(key.registerPixKey.status, 'ACTIVE');
    const paid = await w.request(PayPixDocument, { input: { id: uuidv7(), accountId: bAcc.id, key: key.registerPixKey.key, amount: '2500', waitMs: 8000 } }, bob.identity);
    assert.equal(paid.data?.payPix.state, 'SETTLED');
    for (let i = 0; i < 50; i++) {
      const b = await w.balance(aAcc.id);
      if (b.posted === 2500n) break;
      await new Promise((r) => setTimeout(r, 100));
    }
    assert.deepEqual(await w.balance(aAcc.id), { posted: 2500n, available: 2500n });
    assert.deepEqual(await w.balance(bAcc.id), { posted: 97_500n, available: 97_500n });
  });
});
