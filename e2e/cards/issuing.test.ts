import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { uuidv7 } from '@baas/db';
import {
  ActivateCardDocument,
  AdvanceCardFulfilmentDocument,
  CardDocument,
  CardsDocument,
  IssueCardDocument,
  ProvisionNetworkTokenDocument,
  ReportCardLostDocument,
  RevealCardDocument,
  SetCardControlsDocument,
  SetTenantCardSettingsDocument,
  SuspendNetworkTokenDocument,
  TenantCardSettingsDocument,
  type IssueCardMutation,
} from '@baas/sdk';
import { errorCode, errorDetails, type Customer, type OpenedAccount, type Tenant } from '../risk/risk-world';
import type { SignedIn } from '../risk/sessions';
import { startCardsWorld, type CardsWorld } from './cards-world';

type IssuedCard = IssueCardMutation['issueCard'];

const isLuhnValid = (pan: string) => {
  let sum = 0;
  for (let i = pan.length - 1, double = false; i >= 0; i--, double = !double) {
    let d = Number(pan[i]);
    if (double && (d *= 2) > 9) d -= 9;
    sum += d;
  }
  return sum % 10 === 0;
};

/**
 * Issue 15 (issuing) through the gateway with the typed SDK: a customer issues a virtual card,
 * reveals it only after a passkey step-up, sets controls within its tenant's bounds (refused
 * outside), reports it lost and gets a replacement with the same controls; another tenant's
 * customer and client neither read nor reveal it.
 */
describe('cards issuing through the gateway (issue 15)', () => {
  let w: CardsWorld;
  let tenantA: Tenant;
  let tenantB: Tenant;
  let a1: Customer;
  let b1: Customer;
  let account: OpenedAccount;
  let session: SignedIn;
  let card: IssuedCard;

  before(async () => {
    w = await startCardsWorld();
    tenantA = await w.newTenant();
    tenantB = await w.newTenant();
    a1 = await w.newCustomer(tenantA);
    b1 = await w.newCustomer(tenantB);
    account = await w.openAccount(a1);
    session = await w.signIn(a1);
    await w.ok(SetTenantCardSettingsDocument, { input: { controls: { perTransaction: '100000', mccBlock: ['7995'] } } }, w.cardsClient(tenantA));
  });
  after(() => w?.stop());

  it('issues a virtual card: ACTIVE at once, only first6/last4, the same card for the same id', async () => {
    const input = { id: uuidv7(), accountId: account.id, form: 'VIRTUAL' as const, controls: { perDay: '300000' } };
    card = (await w.ok(IssueCardDocument, { input }, session.identity)).issueCard;
    assert.equal(card.state, 'ACTIVE');
    assert.equal(card.customerId, a1.id);
    assert.equal(card.tenantId, tenantA.id);
    assert.equal(card.first6, '999999');
    assert.match(card.last4, /^\d{4}$/);
    assert.equal(card.currency, 'BRL');
    assert.deepEqual(card.controls.perDay, { minorUnits: '300000', currency: 'BRL' });
    assert.deepEqual(card.effectiveControls.perTransaction, { minorUnits: '100000', currency: 'BRL' });
    assert.deepEqual(card.effectiveControls.mccBlock, ['7995']);
    assert.ok(!('pan' in card));
    const again = (await w.ok(IssueCardDocument, { input }, session.identity)).issueCard;
    assert.equal(again.last4, card.last4);
    const reused = await w.request(IssueCardDocument, { input: { ...input, form: 'PHYSICAL' } }, session.identity);
    assert.equal(errorCode(reused), 'IDEMPOTENCY_KEY_REUSED');
  });

  it('reveal: refused without a recent step-up (STEP_UP_REQUIRED), answered after one; never to the tenant client', async () => {
    const bare = await w.request(RevealCardDocument, { id: card.id }, session.identity);
    assert.equal(errorCode(bare), 'STEP_UP_REQUIRED');
    assert.equal(bare.data?.revealCard ?? null, null);
    const byClient = await w.request(RevealCardDocument, { id: card.id }, w.cardsClient(tenantA));
    assert.equal(errorCode(byClient), 'FORBIDDEN');
    session = await w.stepUp(session);
    const shown = (await w.ok(RevealCardDocument, { id: card.id }, session.identity)).revealCard;
    assert.equal(shown.pan.length, 16);
    assert.ok(shown.pan.startsWith(card.first6) && shown.pan.endsWith(card.last4));
    assert.ok(isLuhnValid(shown.pan));
    assert.match(shown.cvv, /^\d{3}$/);
    assert.deepEqual(shown.expiry, card.expiry);
  });

  it("controls: set within the tenant's bounds, refused outside them with the field and reason", async () => {
    const set = (await w.ok(SetCardControlsDocument, { cardId: card.id, controls: { perTransaction: '50000', channels: ['ONLINE', 'CONTACTLESS'] } }, session.identity)).setCardControls;
    assert.deepEqual(set.controls.perTransaction, { minorUnits: '50000', currency: 'BRL' });
    assert.deepEqual(set.effectiveControls.channels, ['ONLINE', 'CONTACTLESS']);
    const outside = await w.request(SetCardControlsDocument, { cardId: card.id, controls: { perTransaction: '150000' } }, session.identity);
    assert.equal(errorCode(outside), 'BAD_USER_INPUT');
    assert.deepEqual([(errorDetails(outside) as { field?: string }).field, (errorDetails(outside) as { reason?: string }).reason], ['controls.perTransaction', 'OUTSIDE_TENANT_BOUNDS']);
    const malformed = await w.request(SetCardControlsDocument, { cardId: card.id, controls: { mccAllow: ['12'] } }, session.identity);
    assert.equal(errorCode(malformed), 'BAD_USER_INPUT');
    const read = (await w.ok(CardDocument, { id: card.id }, session.identity)).card!;
    assert.deepEqual(read.controls.perTransaction, { minorUnits: '50000', currency: 'BRL' });
  });

  it('lost: the card is closed LOST and a replacement issued with the same controls and account', async () => {
    const replacement = (await w.ok(ReportCardLostDocument, { id: card.id }, session.identity)).reportCardLost;
    assert.notEqual(replacement.id, card.id);
    assert.equal(replacement.state, 'ACTIVE');
    assert.equal(replacement.accountId, account.id);
    assert.deepEqual(replacement.replaces, { id: card.id });
    assert.deepEqual(replacement.controls.perTransaction, { minorUnits: '50000', currency: 'BRL' });
    assert.deepEqual(replacement.controls.channels, ['ONLINE', 'CONTACTLESS']);
    const again = (await w.ok(ReportCardLostDocument, { id: card.id }, session.identity)).reportCardLost;
    assert.equal(again.id, replacement.id);
    const old = (await w.ok(CardDocument, { id: card.id }, session.identity)).card!;
    assert.deepEqual([old.state, old.closeReason, old.replacedBy?.id], ['CLOSED', 'LOST', replacement.id]);
    const shown = (await w.ok(RevealCardDocument, { id: replacement.id }, session.identity)).revealCard;
    assert.ok(shown.pan.endsWith(replacement.last4));
    const mine = (await w.ok(CardsDocument, {}, session.identity)).cards.items.map((c) => c.id);
    assert.deepEqual(mine.sort(), [card.id, replacement.id].sort());
  });

  it('physical cards ship (sandbox tenant client), then activate; wallet tokens provision and suspend without touching the card', async () => {
    const client = w.cardsClient(tenantA);
    const physical = (await w.ok(IssueCardDocument, { input: { id: uuidv7(), accountId: account.id, form: 'PHYSICAL' } }, client)).issueCard;
    assert.deepEqual([physical.state, physical.fulfilment], ['PENDING_ACTIVATION', 'ORDERED']);
    assert.equal(errorCode(await w.request(ActivateCardDocument, { id: physical.id }, session.identity)), 'CONFLICT');
    assert.equal(errorCode(await w.request(AdvanceCardFulfilmentDocument, { id: physical.id, event: 'SHIP' }, session.identity)), 'FORBIDDEN');
    assert.equal((await w.ok(AdvanceCardFulfilmentDocument, { id: physical.id, event: 'SHIP' }, client)).advanceCardFulfilment.fulfilment, 'SHIPPED');
    assert.equal((await w.ok(ActivateCardDocument, { id: physical.id }, session.identity)).activateCard.state, 'ACTIVE');
    const token = (await w.ok(ProvisionNetworkTokenDocument, { input: { id: uuidv7(), cardId: physical.id, wallet: 'APPLE_PAY', deviceId: 'iphone-15' } }, session.identity)).provisionNetworkToken;
    assert.equal(token.state, 'ACTIVE');
    assert.match(token.last4, /^\d{4}$/);
    assert.equal((await w.ok(SuspendNetworkTokenDocument, { id: token.id }, session.identity)).suspendNetworkToken.state, 'SUSPENDED');
    const read = (await w.ok(CardDocument, { id: physical.id }, client)).card!;
    assert.equal(read.state, 'ACTIVE');
    assert.deepEqual(read.networkTokens.map((t) => [t.id, t.state, t.wallet]), [[token.id, 'SUSPENDED', 'APPLE_PAY']]);
    const settings = (await w.ok(TenantCardSettingsDocument, {}, client)).tenantCardSettings;
    assert.deepEqual([settings.controls.perTransaction, settings.controls.mccBlock, settings.standIn], ['100000', ['7995'], 'DECLINE']);
    assert.equal(errorCode(await w.request(TenantCardSettingsDocument, {}, session.identity)), 'FORBIDDEN');
  });

  it("another tenant's customer and client neither read, list nor reveal the card", async () => {
    const stepped = { ...b1.identity, stepUpAt: Math.floor(Date.now() / 1000), amr: ['hwk'] };
    const read = await w.request(CardDocument, { id: card.id }, b1.identity);
    assert.equal(errorCode(read), 'FORBIDDEN');
    assert.equal(read.data?.card ?? null, null);
    const reveal = await w.request(RevealCardDocument, { id: card.id }, stepped);
    assert.equal(errorCode(reveal), 'NOT_FOUND');
    const clientB = w.cardsClient(tenantB);
    assert.equal(errorCode(await w.request(CardDocument, { id: card.id }, clientB)), 'FORBIDDEN');
    assert.deepEqual((await w.ok(CardsDocument, {}, clientB)).cards.items, []);
    assert.equal(errorCode(await w.request(ReportCardLostDocument, { id: card.id }, clientB)), 'NOT_FOUND');
    assert.equal(errorCode(await w.request(IssueCardDocument, { input: { id: uuidv7(), accountId: account.id, form: 'VIRTUAL' } }, b1.identity)), 'FORBIDDEN');
  });
});
