import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { changeCardState } from '../../src/use-cases/change-card-state';
import { changeNetworkToken } from '../../src/use-cases/change-network-token';
import { issueCard } from '../../src/use-cases/issue-card';
import { provisionNetworkToken } from '../../src/use-cases/provision-network-token';
import { reportLostCard } from '../../src/use-cases/report-lost-card';
import { createCardsFixture, refusedWith, type CardsFixture } from './cards-fixture';

describe('network tokens (PostgreSQL)', () => {
  let f: CardsFixture;
  before(async () => {
    f = await createCardsFixture();
  });
  after(() => f.close());

  it('provisions a token per wallet and device with its own number (blind index + last4), idempotently; suspend, resume, delete leave the card alone', async () => {
    const c = f.customer();
    const card = await issueCard(f.deps, c.who, { id: randomUUID(), accountId: c.account.id, form: 'VIRTUAL' });
    const input = { id: randomUUID(), cardId: card.id, wallet: 'APPLE_PAY', deviceId: 'iphone-1' };
    const [t1, t2] = await Promise.all([provisionNetworkToken(f.deps, c.who, input), provisionNetworkToken(f.deps, c.who, input)]);
    assert.equal(t1.id, t2.id);
    assert.equal(t1.state, 'ACTIVE');
    assert.equal(t1.customerId, c.account.customerId);
    assert.notEqual(t1.tokenIndex, card.panIndex);
    assert.match(t1.last4, /^\d{4}$/);
    await assert.rejects(provisionNetworkToken(f.deps, c.who, { ...input, deviceId: 'iphone-2' }), refusedWith('IDEMPOTENCY_KEY_REUSED'));
    await assert.rejects(provisionNetworkToken(f.deps, c.who, { ...input, id: randomUUID() }), refusedWith('CONFLICT', { reason: 'TOKEN_EXISTS_FOR_DEVICE' }));
    const other = await provisionNetworkToken(f.deps, c.client, { id: randomUUID(), cardId: card.id, wallet: 'GOOGLE_PAY', deviceId: 'pixel-9' });
    assert.notEqual(other.tokenIndex, t1.tokenIndex);

    assert.equal((await changeNetworkToken(f.deps, c.who, t1.id, 'SUSPEND')).state, 'SUSPENDED');
    assert.equal((await changeNetworkToken(f.deps, c.who, t1.id, 'SUSPEND')).state, 'SUSPENDED');
    assert.equal((await changeNetworkToken(f.deps, c.client, t1.id, 'RESUME')).state, 'ACTIVE');
    assert.equal((await changeNetworkToken(f.deps, c.who, t1.id, 'DELETE')).state, 'DELETED');
    await assert.rejects(changeNetworkToken(f.deps, c.who, t1.id, 'RESUME'), refusedWith('CONFLICT'));
    assert.equal((await f.deps.cards.findById(card.id))!.state, 'ACTIVE');
    const subjects = (await f.events('cards.token.')).filter((e) => e.data.tokenId === t1.id).map((e) => e.subject);
    assert.deepEqual(subjects, ['cards.token.provisioned', 'cards.token.suspended', 'cards.token.resumed', 'cards.token.deleted']);
  });

  it("closing a card, or reporting it lost, deletes its wallet tokens (events); a card has at most 10 live tokens", async () => {
    const c = f.customer();
    const card = await issueCard(f.deps, c.who, { id: randomUUID(), accountId: c.account.id, form: 'VIRTUAL' });
    const tokens = await Promise.all(Array.from({ length: 10 }, (_, i) => provisionNetworkToken(f.deps, c.who, { id: randomUUID(), cardId: card.id, wallet: 'GOOGLE_PAY', deviceId: `device-${i}` })));
    await assert.rejects(provisionNetworkToken(f.deps, c.who, { id: randomUUID(), cardId: card.id, wallet: 'GOOGLE_PAY', deviceId: 'device-10' }), refusedWith('CONFLICT', { reason: 'TOKEN_LIMIT_REACHED' }));
    await changeNetworkToken(f.deps, c.who, tokens[0]!.id, 'SUSPEND');
    await reportLostCard(f.deps, c.who, card.id, 'LOST');
    const states = await f.db.networkToken.findMany({ where: { cardId: card.id }, select: { state: true } });
    assert.deepEqual(new Set(states.map((t) => t.state)), new Set(['DELETED']));
    assert.equal((await f.events('cards.token.deleted')).filter((e) => e.data.cardId === card.id).length, 10);

    const other = await issueCard(f.deps, c.who, { id: randomUUID(), accountId: c.account.id, form: 'VIRTUAL' });
    const t = await provisionNetworkToken(f.deps, c.who, { id: randomUUID(), cardId: other.id, wallet: 'APPLE_PAY', deviceId: 'iphone' });
    await changeCardState(f.deps, c.client, other.id, { type: 'CLOSE', reason: 'CUSTOMER_REQUEST' });
    assert.equal((await f.deps.tokens.findById(t.id))!.state, 'DELETED');
  });

  it("refuses bad input, a card that is not ACTIVE, and another's card (NOT_FOUND)", async () => {
    const c = f.customer();
    const card = await issueCard(f.deps, c.who, { id: randomUUID(), accountId: c.account.id, form: 'VIRTUAL' });
    await assert.rejects(provisionNetworkToken(f.deps, c.who, { id: randomUUID(), cardId: card.id, wallet: 'PALM_PAY', deviceId: 'd' }), refusedWith('BAD_USER_INPUT', { field: 'wallet' }));
    await assert.rejects(provisionNetworkToken(f.deps, c.who, { id: randomUUID(), cardId: card.id, wallet: 'APPLE_PAY', deviceId: '' }), refusedWith('BAD_USER_INPUT', { field: 'deviceId' }));
    await assert.rejects(provisionNetworkToken(f.deps, f.customer().who, { id: randomUUID(), cardId: card.id, wallet: 'APPLE_PAY', deviceId: 'd' }), refusedWith('NOT_FOUND'));
    await changeCardState(f.deps, c.who, card.id, { type: 'PAUSE' });
    await assert.rejects(provisionNetworkToken(f.deps, c.who, { id: randomUUID(), cardId: card.id, wallet: 'APPLE_PAY', deviceId: 'd' }), refusedWith('CONFLICT', { reason: 'CARD_NOT_ACTIVE' }));
    assert.equal(await f.db.networkToken.count({ where: { cardId: card.id } }), 0);
  });
});
