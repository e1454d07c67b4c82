import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { createAuthorizationStore } from '../../src/store/authorization-store';
import { CARD_COLUMNS, AUTHORIZATION_COLUMNS } from '../../src/store/card-columns';
import { createVaultStore } from '../../src/store/vault-store';
import { startAuthorizationFixture, type AuthorizationFixture } from '../use-cases/authorization-fixture';

/**
 * The authorisation path's one-statement reads and writes (raw SQL) answer exactly the rows Prisma reads:
 * every field, with its type (ids as strings, amounts as bigint, times as Date), so nothing downstream can
 * tell them apart; the column maps cover every field of the models.
 */
describe('raw-SQL rows of the authorisation path (PostgreSQL)', () => {
  let f: AuthorizationFixture;
  before(async () => {
    f = await startAuthorizationFixture();
  });
  after(() => f.close());

  it('the column maps name every field of Card and CardAuthorization', async () => {
    const { card } = await f.issueCard();
    assert.deepEqual(Object.keys(CARD_COLUMNS).sort(), Object.keys(card).sort());
    const auth = await f.db.cardAuthorization.create({
      data: { id: randomUUID(), cardId: card.id, tenantId: card.tenantId, customerId: card.customerId, rrn: 'RAWROWS00001', stan: '000001', state: 'PENDING', kind: 'PURCHASE', amount: 1n, currency: 'BRL', mcc: '5411', country: 'BRA', channel: 'ONLINE', responseCode: '96' },
    });
    assert.deepEqual(Object.keys(AUTHORIZATION_COLUMNS).sort(), Object.keys(auth).sort());
  });

  it('cardWithSealedPan is the Prisma card row and its vault row; null for no card; sealed null without a vault row', async () => {
    const { card } = await f.issueCard();
    const vault = createVaultStore(f.db);
    assert.deepEqual(await vault.cardWithSealedPan(card.id), { card: await f.db.card.findUnique({ where: { id: card.id } }), sealed: null });
    await f.db.cardVault.create({ data: { cardId: card.id, sealedPan: 'sealed-bytes', keyId: 'k1' } });
    const read = await vault.cardWithSealedPan(card.id);
    assert.deepEqual(read?.sealed, { sealedPan: 'sealed-bytes', keyId: 'k1' });
    assert.deepEqual(read?.card, await f.db.card.findUnique({ where: { id: card.id } }));
    assert.equal(await vault.cardWithSealedPan(randomUUID()), null);
  });

  it('decide writes the decision and its events in one statement, answers the Prisma row, and only once', async () => {
    const { card } = await f.issueCard();
    const store = createAuthorizationStore(f.db);
    const id = randomUUID();
    await store.claim({ id, cardId: card.id, tenantId: card.tenantId, customerId: card.customerId, rrn: 'RAWROWS00002', stan: '000002', kind: 'PURCHASE', amount: 1234n, currency: 'BRL', mcc: '5411', merchant: 'M', country: 'BRA', channel: 'ONLINE' });
    const events = [{ eventId: randomUUID(), subject: 'cards.authorization.approved', data: { authorizationId: id, amount: 1234n } }];
    const expiresAt = new Date(Date.now() + 86_400_000);
    const decided = await store.decide(id, { state: 'APPROVED', responseCode: '00', declineReason: null, approvalCode: 'ABC123', riskScoreBps: null, decidedBy: 'ISSUER', holds: 1, expiresAt }, events);
    assert.deepEqual(decided, await f.db.cardAuthorization.findUnique({ where: { id } }));
    assert.deepEqual([decided?.state, decided?.amount, decided?.expiresAt?.getTime(), decided?.holds], ['APPROVED', 1234n, expiresAt.getTime(), 1]);
    const stored = await f.db.cardEventOutbox.findMany({ where: { eventId: events[0]!.eventId } });
    assert.deepEqual(stored.map((e) => [e.subject, JSON.parse(e.payload)]), [['cards.authorization.approved', { authorizationId: id, amount: '1234' }]]);
    assert.equal(await store.decide(id, { state: 'DECLINED', responseCode: '05', declineReason: 'DO_NOT_HONOUR', approvalCode: null, riskScoreBps: 10, decidedBy: null, holds: 0, expiresAt: null }, [{ eventId: randomUUID(), subject: 'cards.authorization.declined', data: {} }]), null);
    assert.equal((await f.db.cardAuthorization.findUnique({ where: { id } }))?.state, 'APPROVED', 'no longer PENDING: nothing written');
    assert.equal(await f.db.cardEventOutbox.count({ where: { subject: 'cards.authorization.declined', payload: '{}' } }), 0);
  });
});
