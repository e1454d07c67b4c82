import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { uuidv7 } from '@baas/db';
import { AnswerCardChallengeDocument, CreateCardChallengeDocument, IssueCardDocument, SetTenantCardSettingsDocument, SimulateCardTransactionDocument, type SimulateCardTransactionInput } from '@baas/sdk';
import { eventually } from '@baas/testing';
import { errorCode, SET_RISK_SETTINGS, type Customer, type Tenant } from '../risk/risk-world';
import { startCardsWorld, type CardsWorld } from './cards-world';

const THRESHOLD = '10000';

/**
 * Issue 15 (3-D Secure) through the gateway with the typed SDK: above the tenant's threshold an ONLINE
 * authorisation without a challenge declines 1A; the network's challenge sends the cardholder a code
 * (read from identity's development sink); a wrong code, then the right one: VERIFIED; the authorisation
 * carrying it is approved; the challenge cannot be used again; another customer cannot answer it.
 */
describe('3-D Secure challenges through the gateway (issue 15)', () => {
  let w: CardsWorld;
  let tenant: Tenant;
  let alice: Customer;
  let bob: Customer;
  let cardId: string;

  const send = async (input: Omit<SimulateCardTransactionInput, 'id' | 'cardId'>) =>
    (await w.ok(SimulateCardTransactionDocument, { input: { id: uuidv7(), cardId, ...input } }, w.cardsClient(tenant))).simulateCardTransaction;
  const codeOf = (challengeId: string) =>
    eventually(async () => {
      const res = await fetch(new URL(`/dev/notifications?challengeId=${challengeId}`, w.platform.subgraphUrls.identity!));
      const body = (await res.json()) as { notifications?: { code?: string }[] };
      const code = body.notifications?.[0]?.code;
      assert.ok(code, 'the one-time code was sent');
      return code;
    });

  before(async () => {
    w = await startCardsWorld();
    tenant = await w.newTenant();
    await w.ok(SET_RISK_SETTINGS, { input: { tenantId: tenant.id, reviewAtBps: 10000, blockAtBps: 10000 } }, w.operator);
    await w.ok(SetTenantCardSettingsDocument, { input: { requireThreeDsAbove: THRESHOLD } }, w.cardsClient(tenant));
    alice = await w.newCustomer(tenant);
    bob = await w.newCustomer(tenant);
    const account = await w.openAccount(alice, 100_000n);
    cardId = uuidv7();
    await w.ok(IssueCardDocument, { input: { id: cardId, accountId: account.id, form: 'VIRTUAL' } }, alice.identity);
  });
  after(async () => {
    await w?.stop();
  });

  it('above the threshold: 1A without a challenge; challenge, wrong code, right code; approved with it; not twice; nobody else answers it', async () => {
    const unauthenticated = await send({ type: 'AUTHORIZATION', amount: '25000', merchant: 'Online Shop' });
    assert.equal(unauthenticated.responseCode, '1A', JSON.stringify(unauthenticated));
    assert.equal(unauthenticated.authorization?.declineReason, 'AUTHENTICATION_REQUIRED');
    assert.equal((await send({ type: 'AUTHORIZATION', amount: THRESHOLD, merchant: 'Online Shop' })).responseCode, '00', 'at the threshold, none is needed');

    const challengeId = uuidv7();
    const input = { id: challengeId, cardId, amount: '25000', merchant: 'Online Shop' };
    const created = (await w.ok(CreateCardChallengeDocument, { input }, w.cardsClient(tenant))).createCardChallenge;
    assert.deepEqual([created.state, created.amount.minorUnits, created.attempts], ['PENDING', '25000', 0]);
    assert.equal((await w.ok(CreateCardChallengeDocument, { input }, w.cardsClient(tenant))).createCardChallenge.id, challengeId, 'a repeat is the same challenge');
    assert.equal(errorCode(await w.request(CreateCardChallengeDocument, { input: { ...input, id: uuidv7() } }, alice.identity)), 'FORBIDDEN', 'the cardholder is not the network');
    const code = await codeOf(challengeId);
    const wrongCode = String((Number(code) + 1) % 1_000_000).padStart(6, '0');

    assert.equal(errorCode(await w.request(AnswerCardChallengeDocument, { id: challengeId, code }, bob.identity)), 'NOT_FOUND', 'another customer cannot answer it');
    const wrong = await w.request(AnswerCardChallengeDocument, { id: challengeId, code: wrongCode }, alice.identity);
    assert.equal(errorCode(wrong), 'INVALID_CODE');
    assert.equal((wrong.errors?.[0]?.extensions?.details as { attemptsLeft?: number } | undefined)?.attemptsLeft, 2);
    assert.ok(!JSON.stringify(wrong).includes(code), 'no error carries the code');
    const verified = (await w.ok(AnswerCardChallengeDocument, { id: challengeId, code }, alice.identity)).answerCardChallenge;
    assert.equal(verified.state, 'VERIFIED');
    assert.equal((await w.ok(AnswerCardChallengeDocument, { id: challengeId, code }, alice.identity)).answerCardChallenge.state, 'VERIFIED', 'a repeat is safe');

    const approved = await send({ type: 'AUTHORIZATION', amount: '25000', merchant: 'Online Shop', challengeId });
    assert.equal(approved.responseCode, '00', JSON.stringify(approved));
    assert.equal(approved.authorization?.state, 'APPROVED');
    const reused = await send({ type: 'AUTHORIZATION', amount: '25000', merchant: 'Online Shop', challengeId });
    assert.equal(reused.responseCode, '1A', 'a challenge is used by one authorisation only');
  });
});
