import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { eventually } from '@baas/testing';
import { createCardLookupStore } from '../../src/store/card-lookup-store';
import { derivedUuid } from '@baas/server';
import { expireHolds } from '../../src/use-cases/expire-holds';
import { expireStaleAuthorizations } from '../../src/use-cases/expire-stale-authorizations';
import { holdPiece } from '../../src/use-cases/network-message-deps';
import { processNetworkMessage } from '../../src/use-cases/process-network-message';
import { authRequest, clearing, startAuthorizationFixture, type AuthorizationFixture } from './authorization-fixture';

describe('expireHolds', () => {
  let f: AuthorizationFixture;
  before(async () => {
    f = await startAuthorizationFixture();
  });
  after(async () => {
    await f?.close();
  });

  it('closes authorisations past expiresAt after the ledger timed their holds out, releasing velocity; a later clearing force-posts', async () => {
    const c = await f.issueCard({ funds: 100_00n });
    const deps = { ...f.deps, holdDays: 2 / 86_400 };
    const request = authRequest(c, 30_00n);
    assert.equal((await processNetworkMessage(deps, request)).elements['39'], '00');
    assert.deepEqual(await f.balance(c.card.ledgerAccountId), { posted: 100_00n, pending: 30_00n, available: 70_00n });
    const expiryDeps = { authorizations: f.deps.authorizations, transactions: f.deps.transactions, velocity: f.deps.velocity, cards: createCardLookupStore(f.db) };
    assert.equal(await expireHolds(expiryDeps), 0);
    await eventually(async () => assert.deepEqual(await f.balance(c.card.ledgerAccountId), { posted: 100_00n, pending: 0n, available: 100_00n }), { attempts: 100, delayMs: 100 });
    assert.equal(await expireHolds({ ...expiryDeps, now: () => new Date(Date.now() + 1_000) }), 1);
    assert.equal(await expireHolds({ ...expiryDeps, now: () => new Date(Date.now() + 1_000) }), 0);
    const row = await f.db.cardAuthorization.findFirstOrThrow({ where: { cardId: c.card.id } });
    assert.equal(row.state, 'CLOSED');
    assert.equal(row.released, 30_00n);
    assert.equal((await f.events('cards.authorization.expired')).filter((e) => e.cardId === c.card.id)[0]?.amount, '3000');
    assert.equal((await f.deps.velocity.usage(c.card.id, new Date())).day, 0n);
    // A late presentment has no hold left: posted directly (a force-post).
    assert.equal((await processNetworkMessage(f.deps, clearing(c, request.elements['37']!, 30_00n))).elements['39'], '00');
    assert.deepEqual(await f.balance(c.card.ledgerAccountId), { posted: 70_00n, pending: 0n, available: 70_00n });
  });

  it('a claim whose decision never came (a crash mid-decision) is declined 96, its hold voided and its reservation released', async () => {
    const c = await f.issueCard({ funds: 100_00n });
    const request = authRequest(c, 20_00n);
    const id = derivedUuid(`cards:auth:${c.card.id}:${request.elements['37']}`);
    // What a process that died after placing the hold leaves behind.
    await f.deps.authorizations.claim({ id, cardId: c.card.id, tenantId: c.tenantId, customerId: c.card.customerId, rrn: request.elements['37']!, stan: request.elements['11']!, kind: 'PURCHASE', amount: 20_00n, currency: 'BRL', mcc: '5411', merchant: null, country: 'BR', channel: 'ONLINE' });
    await f.deps.velocity.reserve(c.card.id, id, 20_00n, new Date(), {});
    assert.equal(await holdPiece(f.deps, c.card, id, 1, 20_00n, 3600), null);
    assert.deepEqual(await f.balance(c.card.ledgerAccountId), { posted: 100_00n, pending: 20_00n, available: 80_00n });
    const deps = { authorizations: f.deps.authorizations, velocity: f.deps.velocity, cards: createCardLookupStore(f.db), ledger: f.deps.ledger };
    assert.equal(await expireStaleAuthorizations(deps), 0);
    assert.equal(await expireStaleAuthorizations({ ...deps, now: () => new Date(Date.now() + 120_000) }), 1);
    assert.deepEqual(await f.balance(c.card.ledgerAccountId), { posted: 100_00n, pending: 0n, available: 100_00n });
    assert.equal((await f.deps.velocity.usage(c.card.id, new Date())).day, 0n);
    const row = await f.db.cardAuthorization.findUniqueOrThrow({ where: { id } });
    assert.equal(row.state, 'DECLINED');
    assert.equal(row.decidedBy, 'RECOVERY');
    // A late decision writes nothing; the repeat answers 96.
    assert.equal(await f.deps.authorizations.decide(id, { state: 'APPROVED', responseCode: '00', declineReason: null, approvalCode: 'ABC123', riskScoreBps: null, decidedBy: null, holds: 1, expiresAt: null }, []), null);
    assert.equal((await processNetworkMessage(f.deps, request)).elements['39'], '96');
  });
});
