import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { cvvMatches } from '../../src/domain/cvv';
import { isLuhnValid } from '../../src/domain/pan';
import { advanceCardFulfilment } from '../../src/use-cases/advance-card-fulfilment';
import { changeCardState } from '../../src/use-cases/change-card-state';
import { issueCard } from '../../src/use-cases/issue-card';
import { listCards } from '../../src/use-cases/list-cards';
import { reportLostCard, replacementCardId } from '../../src/use-cases/report-lost-card';
import { revealCard } from '../../src/use-cases/reveal-card';
import { setCardControls } from '../../src/use-cases/set-card-controls';
import { setTenantCardSettings } from '../../src/use-cases/set-tenant-card-settings';
import { createCardsFixture, operator, refusedWith, type CardsFixture } from './cards-fixture';

describe('card lifecycle (PostgreSQL)', () => {
  let f: CardsFixture;
  before(async () => {
    f = await createCardsFixture();
  });
  after(() => f.close());

  const issue = async (form: 'VIRTUAL' | 'PHYSICAL' = 'VIRTUAL', controls?: unknown) => {
    const c = f.customer();
    const card = await issueCard(f.deps, c.who, { id: randomUUID(), accountId: c.account.id, form, ...(controls ? { controls } : {}) });
    return { ...c, card };
  };

  it('reveal: the holder with a fresh step-up gets PAN, CVV, expiry (audited without the PAN); without step-up STEP_UP_REQUIRED; others refused', async () => {
    const { card, who, stepped, client } = await issue();
    await assert.rejects(revealCard(f.deps, who, card.id), refusedWith('STEP_UP_REQUIRED'));
    const stale = { ...stepped, stepUpAt: Math.floor(f.clock.ms / 1000) - 3600 };
    await assert.rejects(revealCard(f.deps, stale, card.id), refusedWith('STEP_UP_REQUIRED'));
    await assert.rejects(revealCard(f.deps, client, card.id), refusedWith('FORBIDDEN'));
    await assert.rejects(revealCard(f.deps, operator, card.id), refusedWith('FORBIDDEN'));
    const stranger = f.customer();
    await assert.rejects(revealCard(f.deps, stranger.stepped, card.id), refusedWith('NOT_FOUND'));
    await assert.rejects(revealCard(f.deps, stranger.stepped, randomUUID()), refusedWith('NOT_FOUND'));
    assert.equal(f.audited.length, 0);
    const shown = await revealCard(f.deps, stepped, card.id);
    assert.ok(isLuhnValid(shown.pan) && shown.pan.endsWith(card.last4) && shown.pan.startsWith(card.first6));
    assert.ok(cvvMatches(f.deps.cvvKey, shown.pan, card.expiry, shown.cvv));
    assert.deepEqual(shown.expiry, { month: 12, year: 2030 });
    assert.equal(f.audited.length, 1);
    assert.deepEqual({ action: f.audited[0]!.action, target: f.audited[0]!.target, subject: f.audited[0]!.actor?.subject }, { action: 'cards.card.revealed', target: { type: 'Card', id: card.id }, subject: who.subject });
    assert.ok(!JSON.stringify(f.audited).includes(shown.pan));
  });

  it('a tenant step-up rule for CARD_PAN_REVEAL is applied', async () => {
    const { card, stepped } = await issue();
    const strict = { ...stepped, stepUpAt: Math.floor(f.clock.ms / 1000) - 100, stepUpPolicy: { CARD_PAN_REVEAL: { maxAgeSeconds: 60 } } };
    await assert.rejects(revealCard(f.deps, strict, card.id), refusedWith('STEP_UP_REQUIRED'));
  });

  it('pause, resume, close: each writes its event once; repeats are harmless; CLOSED is final', async () => {
    const { card, who, client } = await issue();
    assert.equal((await changeCardState(f.deps, who, card.id, { type: 'PAUSE' })).state, 'PAUSED');
    assert.equal((await changeCardState(f.deps, who, card.id, { type: 'PAUSE' })).state, 'PAUSED');
    assert.equal((await changeCardState(f.deps, client, card.id, { type: 'RESUME' })).state, 'ACTIVE');
    await assert.rejects(changeCardState(f.deps, who, card.id, { type: 'CLOSE', reason: 'LOST' }), refusedWith('BAD_USER_INPUT', { reason: 'USE_REPORT' }));
    const closed = await changeCardState(f.deps, who, card.id, { type: 'CLOSE', reason: 'CUSTOMER_REQUEST' });
    assert.equal(closed.state, 'CLOSED');
    assert.equal(closed.closeReason, 'CUSTOMER_REQUEST');
    await assert.rejects(changeCardState(f.deps, who, card.id, { type: 'RESUME' }), refusedWith('CONFLICT', { reason: 'INVALID_TRANSITION' }));
    const subjects = (await f.events()).filter((e) => e.data.cardId === card.id).map((e) => e.subject);
    assert.deepEqual(subjects, ['cards.card.issued', 'cards.card.paused', 'cards.card.resumed', 'cards.card.closed']);
    const stranger = f.customer();
    await assert.rejects(changeCardState(f.deps, stranger.client, card.id, { type: 'PAUSE' }), refusedWith('NOT_FOUND'));
  });

  it('physical: activation waits for shipping; sandbox fulfilment by a sandbox tenant client or an operator', async () => {
    const { card, who, client, account } = await issue('PHYSICAL');
    await assert.rejects(changeCardState(f.deps, who, card.id, { type: 'ACTIVATE' }), refusedWith('CONFLICT', { reason: 'NOT_YET_SHIPPED' }));
    await assert.rejects(advanceCardFulfilment(f.deps, client, card.id, 'SHIP'), refusedWith('FORBIDDEN'));
    await assert.rejects(advanceCardFulfilment(f.deps, who, card.id, 'SHIP'), refusedWith('FORBIDDEN'));
    f.sandboxTenants.add(account.tenantId);
    assert.equal((await advanceCardFulfilment(f.deps, client, card.id, 'SHIP')).fulfilment, 'SHIPPED');
    assert.equal((await advanceCardFulfilment(f.deps, client, card.id, 'SHIP')).fulfilment, 'SHIPPED');
    assert.equal((await advanceCardFulfilment(f.deps, operator, card.id, 'DELIVER')).fulfilment, 'DELIVERED');
    await assert.rejects(advanceCardFulfilment(f.deps, operator, card.id, 'RETURN'), refusedWith('CONFLICT'));
    const active = await changeCardState(f.deps, who, card.id, { type: 'ACTIVATE' });
    assert.equal(active.state, 'ACTIVE');
    assert.ok(active.activatedAt);
    const virtual = await issue();
    await assert.rejects(advanceCardFulfilment(f.deps, operator, virtual.card.id, 'SHIP'), refusedWith('CONFLICT', { reason: 'NOT_PHYSICAL' }));
  });

  it('lost: closed LOST and reissued once (new PAN, same account and controls, linked both ways), repeats answer the same replacement', async () => {
    const { card, who, stepped } = await issue('VIRTUAL', { perDay: '50000', mccBlock: ['7995'] });
    const [r1, r2] = await Promise.all([reportLostCard(f.deps, who, card.id, 'LOST'), reportLostCard(f.deps, who, card.id, 'LOST')]);
    assert.equal(r1.id, r2.id);
    assert.equal(r1.id, replacementCardId(card.id));
    assert.equal(r1.replacesCardId, card.id);
    assert.equal(r1.accountId, card.accountId);
    assert.equal(r1.controls, card.controls);
    assert.notEqual(r1.panIndex, card.panIndex);
    assert.equal(r1.state, 'ACTIVE');
    const old = (await f.deps.cards.findById(card.id))!;
    assert.deepEqual([old.state, old.closeReason, old.replacedById], ['CLOSED', 'LOST', r1.id]);
    await assert.rejects(reportLostCard(f.deps, who, card.id, 'STOLEN'), refusedWith('CONFLICT'));
    await assert.rejects(revealCard(f.deps, stepped, card.id), refusedWith('CONFLICT', { reason: 'CARD_CLOSED' }));
    assert.equal((await revealCard(f.deps, stepped, r1.id)).pan.slice(-4), r1.last4);
    const subjects = (await f.events()).filter((e) => e.data.cardId === card.id || e.data.cardId === r1.id).map((e) => e.subject);
    assert.deepEqual(subjects, ['cards.card.issued', 'cards.card.closed', 'cards.card.reissued']);
  });

  it('stolen on a closed account: the card is closed STOLEN, no replacement issued; a repeat answers the same', async () => {
    const { card, who, account } = await issue();
    f.accounts.set(account.id, { ...account, status: 'CLOSED' });
    const closed = await reportLostCard(f.deps, who, card.id, 'STOLEN');
    assert.deepEqual([closed.id, closed.state, closed.closeReason, closed.replacedById], [card.id, 'CLOSED', 'STOLEN', null]);
    assert.equal((await reportLostCard(f.deps, who, card.id, 'STOLEN')).id, card.id);
    assert.equal(await f.deps.cards.findReplacementOf(card.id), null);
  });

  it('controls: within the bounds set, refused outside them with details, nothing written on a refusal', async () => {
    const { card, who, client } = await issue();
    const first = await setTenantCardSettings(f.deps, client, { controls: { perTransaction: '100000', channels: ['ONLINE', 'CHIP'] }, decisionUrl: 'https://tenant.example/decide', decisionTimeoutMs: 800, standIn: 'APPROVE' });
    assert.match(first.newDecisionSecret ?? '', /^whsec_/, 'a new decision URL: its signing secret, answered once');
    assert.equal((await setTenantCardSettings(f.deps, client, { decisionUrl: 'https://tenant.example/decide' })).newDecisionSecret, undefined, 'the same URL keeps its secret');
    await assert.rejects(setTenantCardSettings(f.deps, client, { decisionUrl: 'https://internal.example/decide' }), refusedWith('BAD_USER_INPUT', { field: 'decisionUrl' }));
    await assert.rejects(setTenantCardSettings(f.deps, client, { decisionUrl: 'https://127.0.0.1/decide' }), refusedWith('BAD_USER_INPUT', { field: 'decisionUrl' }));
    const set = await setCardControls(f.deps, who, card.id, { perTransaction: '20000', channels: ['ONLINE'] });
    assert.deepEqual(JSON.parse(set.controls), { perTransaction: '20000', channels: ['ONLINE'] });
    await assert.rejects(setCardControls(f.deps, who, card.id, { perTransaction: '200000' }), (e: unknown) => {
      assert.ok(refusedWith('BAD_USER_INPUT', { reason: 'OUTSIDE_TENANT_BOUNDS', field: 'controls.perTransaction' })(e));
      assert.deepEqual((e as { details: { refusals: unknown } }).details.refusals, [{ field: 'perTransaction', reason: 'ABOVE_TENANT_LIMIT' }]);
      return true;
    });
    await assert.rejects(setCardControls(f.deps, client, card.id, { channels: ['ATM'] }), refusedWith('BAD_USER_INPUT', { reason: 'OUTSIDE_TENANT_BOUNDS' }));
    await assert.rejects(setCardControls(f.deps, operator, card.id, {}), refusedWith('FORBIDDEN'));
    await assert.rejects(setCardControls(f.deps, f.customer().who, card.id, {}), refusedWith('NOT_FOUND'));
    assert.equal((await f.deps.cards.findById(card.id))!.controls, set.controls);
    await assert.rejects(setTenantCardSettings(f.deps, client, { decisionTimeoutMs: 5 }), refusedWith('BAD_USER_INPUT', { field: 'decisionTimeoutMs' }));
    await assert.rejects(setTenantCardSettings(f.deps, client, { decisionUrl: 'ftp://x' }), refusedWith('BAD_USER_INPUT', { field: 'decisionUrl' }));
    await assert.rejects(setTenantCardSettings(f.deps, who, {}), refusedWith('FORBIDDEN'));
    await assert.rejects(setTenantCardSettings(f.deps, operator, {}), refusedWith('BAD_USER_INPUT', { field: 'tenantId' }));
    const s = await f.deps.settings.get(card.tenantId);
    assert.deepEqual([s.decisionUrl, s.decisionTimeoutMs, s.standIn], ['https://tenant.example/decide', 800, 'APPROVE']);
  });

  it("lists: a customer's own, a tenant client's tenant's, operators by tenant; pages without repeats", async () => {
    const a = f.customer();
    const b = f.customer({ tenantId: a.account.tenantId });
    for (let i = 0; i < 3; i++) await issueCard(f.deps, a.who, { id: randomUUID(), accountId: a.account.id, form: 'VIRTUAL' });
    await issueCard(f.deps, b.who, { id: randomUUID(), accountId: b.account.id, form: 'VIRTUAL' });
    assert.equal((await listCards(f.deps, a.who, {})).items.length, 3);
    assert.equal((await listCards(f.deps, a.client, {})).items.length, 4);
    assert.equal((await listCards(f.deps, operator, { tenantId: a.account.tenantId })).items.length, 4);
    await assert.rejects(listCards(f.deps, a.client, { tenantId: f.customer().account.tenantId }), refusedWith('FORBIDDEN'));
    const seen: string[] = [];
    let after: string | null = null;
    do {
      const page: Awaited<ReturnType<typeof listCards>> = await listCards(f.deps, a.client, { first: 1, after });
      seen.push(...page.items.map((c) => c.id));
      after = page.hasNextPage ? page.endCursor : null;
    } while (after);
    assert.equal(new Set(seen).size, 4);
  });
});
