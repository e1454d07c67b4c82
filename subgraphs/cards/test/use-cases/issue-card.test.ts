import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { isLuhnValid } from '../../src/domain/pan';
import { PAN_INDEX_CONTEXT, panSealContext } from '../../src/store/pan-index';
import { issueCard } from '../../src/use-cases/issue-card';
import { setTenantCardSettings } from '../../src/use-cases/set-tenant-card-settings';
import { createCardsFixture, operator, refusedWith, type CardsFixture } from './cards-fixture';

describe('issueCard (PostgreSQL)', () => {
  let f: CardsFixture;
  before(async () => {
    f = await createCardsFixture();
  });
  after(() => f.close());

  it('issues a virtual card ACTIVE at once: BIN + sequence + Luhn, sealed in the vault, first6/last4 on the card, cards.card.issued', async () => {
    const { account, who } = f.customer();
    const id = randomUUID();
    const card = await issueCard(f.deps, who, { id, accountId: account.id, form: 'VIRTUAL' });
    assert.equal(card.state, 'ACTIVE');
    assert.equal(card.fulfilment, null);
    assert.equal(card.first6, '999999');
    assert.equal(card.currency, 'BRL');
    assert.equal(card.ledgerAccountId, account.ledgerAccountId);
    assert.equal(card.expiry, '3012');
    const vault = await f.db.cardVault.findUniqueOrThrow({ where: { cardId: id } });
    const pan = f.deps.pii.decrypt(vault.sealedPan, panSealContext(id));
    assert.ok(isLuhnValid(pan) && pan.startsWith('99999901') && pan.length === 16);
    assert.equal(pan.slice(-4), card.last4);
    assert.equal(card.panIndex, f.deps.pii.blindIndex(pan, PAN_INDEX_CONTEXT));
    assert.throws(() => f.deps.pii.decrypt(vault.sealedPan, panSealContext(randomUUID())));
    const issued = (await f.events('cards.card.issued')).filter((e) => e.data.cardId === id);
    assert.equal(issued.length, 1);
    assert.deepEqual(Object.keys(issued[0]!.data).sort(), ['accountId', 'cardId', 'customerId', 'expiry', 'form', 'last4', 'state', 'tenantId']);
  });

  it('issues a physical card PENDING_ACTIVATION and ORDERED; the tenant client with cards:write may issue too', async () => {
    const { account, client } = f.customer();
    const card = await issueCard(f.deps, client, { id: randomUUID(), accountId: account.id, form: 'PHYSICAL' });
    assert.equal(card.state, 'PENDING_ACTIVATION');
    assert.equal(card.fulfilment, 'ORDERED');
    assert.equal(card.customerId, account.customerId);
  });

  it('the same id and request answer the same card (one row, one event); another request is IDEMPOTENCY_KEY_REUSED', async () => {
    const { account, who } = f.customer();
    const id = randomUUID();
    const input = { id, accountId: account.id, form: 'VIRTUAL', controls: { perTransaction: '5000' } };
    const [a, b, c] = await Promise.all([issueCard(f.deps, who, input), issueCard(f.deps, who, input), issueCard(f.deps, who, input)]);
    assert.equal(a.panIndex, b.panIndex);
    assert.equal(a.panIndex, c.panIndex);
    assert.equal((await f.events('cards.card.issued')).filter((e) => e.data.cardId === id).length, 1);
    await assert.rejects(issueCard(f.deps, who, { ...input, form: 'PHYSICAL' }), refusedWith('IDEMPOTENCY_KEY_REUSED'));
    await assert.rejects(issueCard(f.deps, who, { ...input, controls: { perTransaction: '6000' } }), refusedWith('IDEMPOTENCY_KEY_REUSED'));
  });

  it("PANs are unique across concurrent issues", async () => {
    const { account, who } = f.customer();
    const cards = await Promise.all(Array.from({ length: 12 }, () => issueCard(f.deps, who, { id: randomUUID(), accountId: account.id, form: 'VIRTUAL' })));
    assert.equal(new Set(cards.map((c) => c.panIndex)).size, 12);
  });

  it("refuses another customer's or tenant's account (FORBIDDEN), an unknown one, operators, and a non-ACTIVE account", async () => {
    const { account } = f.customer();
    const other = f.customer();
    const otherTenant = f.customer();
    await assert.rejects(issueCard(f.deps, other.who, { id: randomUUID(), accountId: account.id, form: 'VIRTUAL' }), refusedWith('FORBIDDEN'));
    await assert.rejects(issueCard(f.deps, otherTenant.client, { id: randomUUID(), accountId: account.id, form: 'VIRTUAL' }), refusedWith('FORBIDDEN'));
    await assert.rejects(issueCard(f.deps, operator, { id: randomUUID(), accountId: account.id, form: 'VIRTUAL' }), refusedWith('FORBIDDEN'));
    await assert.rejects(issueCard(f.deps, other.who, { id: randomUUID(), accountId: randomUUID(), form: 'VIRTUAL' }), refusedWith('FORBIDDEN'));
    const frozen = f.customer({ status: 'FROZEN' });
    await assert.rejects(issueCard(f.deps, frozen.who, { id: randomUUID(), accountId: frozen.account.id, form: 'VIRTUAL' }), refusedWith('ACCOUNT_FROZEN'));
    const closed = f.customer({ status: 'CLOSED' });
    await assert.rejects(issueCard(f.deps, closed.who, { id: randomUUID(), accountId: closed.account.id, form: 'VIRTUAL' }), refusedWith('ACCOUNT_CLOSED'));
  });

  it('an id of another customer is FORBIDDEN, never replayed', async () => {
    const a = f.customer();
    const b = f.customer({ tenantId: a.account.tenantId });
    const id = randomUUID();
    await issueCard(f.deps, a.who, { id, accountId: a.account.id, form: 'VIRTUAL' });
    await assert.rejects(issueCard(f.deps, b.who, { id, accountId: b.account.id, form: 'VIRTUAL' }), refusedWith('FORBIDDEN'));
  });

  it('bad input is coded and writes nothing: ids, form, controls, controls outside the bounds', async () => {
    const { account, who, client } = f.customer();
    await setTenantCardSettings(f.deps, client, { controls: { perTransaction: '10000', mccBlock: ['7995'] } });
    const before = await f.db.card.count();
    const seqBefore = await f.db.cardSequence.findMany();
    await assert.rejects(issueCard(f.deps, who, { id: 'nope', accountId: account.id, form: 'VIRTUAL' }), refusedWith('BAD_USER_INPUT', { field: 'id' }));
    await assert.rejects(issueCard(f.deps, who, { id: randomUUID(), accountId: 'x', form: 'VIRTUAL' }), refusedWith('BAD_USER_INPUT', { field: 'accountId' }));
    await assert.rejects(issueCard(f.deps, who, { id: randomUUID(), accountId: account.id, form: 'PLASTIC' }), refusedWith('BAD_USER_INPUT', { field: 'form' }));
    await assert.rejects(issueCard(f.deps, who, { id: randomUUID(), accountId: account.id, form: 'VIRTUAL', controls: { perDay: '1.50' } }), refusedWith('BAD_USER_INPUT', { field: 'controls.perDay', reason: 'NOT_A_NON_NEGATIVE_INTEGER' }));
    await assert.rejects(issueCard(f.deps, who, { id: randomUUID(), accountId: account.id, form: 'VIRTUAL', controls: { mccAllow: ['12'] } }), refusedWith('BAD_USER_INPUT', { field: 'controls.mccAllow', reason: 'MALFORMED_MCC' }));
    await assert.rejects(
      issueCard(f.deps, who, { id: randomUUID(), accountId: account.id, form: 'VIRTUAL', controls: { perTransaction: '20000' } }),
      refusedWith('BAD_USER_INPUT', { field: 'controls.perTransaction', reason: 'OUTSIDE_TENANT_BOUNDS' }),
    );
    assert.equal(await f.db.card.count(), before);
    assert.deepEqual(await f.db.cardSequence.findMany(), seqBefore);
    const ok = await issueCard(f.deps, who, { id: randomUUID(), accountId: account.id, form: 'VIRTUAL', controls: { perTransaction: '9000' } });
    assert.equal(JSON.parse(ok.controls).perTransaction, '9000');
  });
});
