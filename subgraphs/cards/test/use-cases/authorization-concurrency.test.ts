import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { processNetworkMessage } from '../../src/use-cases/process-network-message';
import { authRequest, startAuthorizationFixture, type AuthorizationFixture } from './authorization-fixture';

describe('200 concurrent authorisations on one card', () => {
  let f: AuthorizationFixture;
  before(async () => {
    f = await startAuthorizationFixture();
  });
  after(async () => {
    await f?.close();
  });

  it('never hold more than the available balance (the ledger hold enforces it)', async () => {
    const c = await f.issueCard({ funds: 1_000_00n });
    const responses = await Promise.all(Array.from({ length: 200 }, () => processNetworkMessage(f.deps, authRequest(c, 7_00n))));
    const approved = responses.filter((r) => r.elements['39'] === '00').length;
    const declined = responses.filter((r) => r.elements['39'] === '51').length;
    assert.equal(approved + declined, 200, JSON.stringify(responses.map((r) => r.elements['39'])));
    assert.equal(approved, 142); // floor(1000.00 / 7.00)
    const balance = await f.balance(c.card.ledgerAccountId);
    assert.deepEqual(balance, { posted: 1_000_00n, pending: BigInt(approved) * 7_00n, available: 1_000_00n - BigInt(approved) * 7_00n });
    assert.equal(await f.db.cardAuthorization.count({ where: { cardId: c.card.id, state: 'APPROVED' } }), approved);
    assert.equal((await f.deps.velocity.usage(c.card.id, new Date())).day, BigInt(approved) * 7_00n);
  });

  it('never pass a velocity limit (reserved atomically in Redis)', async () => {
    const c = await f.issueCard({ funds: 10_000_00n, controls: { perDay: '30000' } });
    const responses = await Promise.all(Array.from({ length: 200 }, () => processNetworkMessage(f.deps, authRequest(c, 7_00n))));
    const approved = responses.filter((r) => r.elements['39'] === '00').length;
    assert.equal(approved, 42); // floor(300.00 / 7.00)
    assert.equal(responses.filter((r) => r.elements['39'] === '61').length, 200 - approved);
    assert.equal((await f.balance(c.card.ledgerAccountId)).pending, BigInt(approved) * 7_00n);
    assert.equal((await f.deps.velocity.usage(c.card.id, new Date())).day, BigInt(approved) * 7_00n);
  });
});
