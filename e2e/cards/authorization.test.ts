import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { uuidv7 } from '@baas/db';
import {
  CardAuthorizationDocument,
  CardAuthorizationsDocument,
  DeleteNetworkTokenDocument,
  IssueCardDocument,
  ProvisionNetworkTokenDocument,
  RevealCardDocument,
  SetTenantCardSettingsDocument,
  SimulateCardNetworkMessageDocument,
  SimulateCardTransactionDocument,
  SuspendNetworkTokenDocument,
  type CardNetworkResponseFieldsFragment,
  type SimulateCardTransactionInput,
} from '@baas/sdk';
import { errorCode, SET_RISK_SETTINGS, type Customer, type OpenedAccount, type Tenant } from '../risk/risk-world';
import { startCardsWorld, type CardsWorld } from './cards-world';

const FUNDED = 100_000n;

/**
 * Issue 15 (authorisation) through the gateway with the typed SDK: a customer's virtual card, revealed
 * with step-up, pays through the sandbox network simulator; the authorisation holds the money on the
 * ledger, an incremental authorisation raises the hold, a partial capture posts part and the final
 * capture the rest, a refund brings money back; balances agree at every step. Controls decline with
 * the networks' codes; malformed or wrong messages are answered with their codes and write nothing;
 * another tenant reaches nothing.
 */
describe('card authorisations through the gateway (issue 15)', () => {
  let w: CardsWorld;
  let tenant: Tenant;
  let other: Tenant;
  let alice: Customer;
  let account: OpenedAccount;
  let cardId: string;
  let pan: string;
  let expiry: string;
  let cvv: string;
  let authorizationId: string;
  let session: Awaited<ReturnType<CardsWorld['stepUp']>>;

  const send = async (input: Omit<SimulateCardTransactionInput, 'id' | 'cardId'> & { cardId?: string }, as = w.cardsClient(tenant)): Promise<CardNetworkResponseFieldsFragment> =>
    (await w.ok(SimulateCardTransactionDocument, { input: { id: uuidv7(), cardId, ...input } }, as)).simulateCardTransaction;
  const balance = () => w.balance(account.id);

  before(async () => {
    w = await startCardsWorld();
    tenant = await w.newTenant();
    other = await w.newTenant();
    // This scenario is about the card path, not about fraud: the model (it reads the hour of day)
    // must not decide; risk still scores every authorisation.
    await w.ok(SET_RISK_SETTINGS, { input: { tenantId: tenant.id, reviewAtBps: 10000, blockAtBps: 10000 } }, w.operator);
    await w.ok(SetTenantCardSettingsDocument, { input: { controls: { perTransaction: '50000', mccBlock: ['7995'] } } }, w.cardsClient(tenant));
    alice = await w.newCustomer(tenant);
    account = await w.openAccount(alice, FUNDED);
    cardId = uuidv7();
    await w.ok(IssueCardDocument, { input: { id: cardId, accountId: account.id, form: 'VIRTUAL' } }, alice.identity);
    session = await w.stepUp(await w.signIn(alice));
    const revealed = (await w.ok(RevealCardDocument, { id: cardId }, session.identity)).revealCard;
    pan = revealed.pan;
    cvv = revealed.cvv;
    expiry = `${String(revealed.expiry.year).slice(-2)}${String(revealed.expiry.month).padStart(2, '0')}`;
  });
  after(async () => {
    await w?.stop();
  });

  it('authorise, increment, capture partially, capture the rest, refund: the hold and the ledger agree at every step', async () => {
    const auth = await send({ type: 'AUTHORIZATION', amount: '10000', mcc: '5812', merchant: 'Cafe Central' });
    assert.equal(auth.responseCode, '00', JSON.stringify(auth));
    assert.equal(auth.approved, true);
    assert.ok(auth.authorization, 'the authorisation');
    authorizationId = auth.authorization.id;
    assert.deepEqual([auth.authorization.state, auth.authorization.amount.minorUnits, auth.authorization.merchant], ['APPROVED', '10000', 'Cafe Central']);
    assert.ok(!auth.elements.some((e) => e.number === '2'), 'the response never carries the PAN');
    assert.deepEqual(await balance(), { posted: FUNDED, available: FUNDED - 10_000n }, 'held, not posted');

    const more = await send({ type: 'INCREMENT', amount: '2000', authorizationId });
    assert.equal(more.responseCode, '00');
    assert.equal(more.authorization?.amount.minorUnits, '12000');
    assert.deepEqual(await balance(), { posted: FUNDED, available: FUNDED - 12_000n });

    const part = await send({ type: 'CAPTURE', amount: '5000', authorizationId });
    assert.equal(part.responseCode, '00');
    assert.deepEqual([part.authorization?.captured.minorUnits, part.authorization?.state], ['5000', 'APPROVED']);
    assert.deepEqual(await balance(), { posted: FUNDED - 5_000n, available: FUNDED - 12_000n }, 'part posted, the rest still held');

    const rest = await send({ type: 'CAPTURE', amount: '7000', authorizationId });
    assert.equal(rest.responseCode, '00');
    assert.deepEqual([rest.authorization?.captured.minorUnits, rest.authorization?.state], ['12000', 'CLOSED']);
    assert.deepEqual(await balance(), { posted: FUNDED - 12_000n, available: FUNDED - 12_000n }, 'all posted, nothing held');

    const refund = await send({ type: 'REFUND', amount: '3000' });
    assert.equal(refund.responseCode, '00');
    assert.deepEqual(await balance(), { posted: FUNDED - 9_000n, available: FUNDED - 9_000n });

    const read = await w.ok(CardAuthorizationDocument, { id: authorizationId }, alice.identity);
    assert.equal(read.cardAuthorization?.captured.minorUnits, '12000', 'the cardholder reads its authorisation');
  });

  it('a repeated message is answered as the first and moves nothing again', async () => {
    const before = await balance();
    const input = { id: uuidv7(), cardId, type: 'AUTHORIZATION' as const, amount: '1500' };
    const first = (await w.ok(SimulateCardTransactionDocument, { input }, w.cardsClient(tenant))).simulateCardTransaction;
    const again = (await w.ok(SimulateCardTransactionDocument, { input }, w.cardsClient(tenant))).simulateCardTransaction;
    assert.deepEqual([again.responseCode, again.authorization?.id], [first.responseCode, first.authorization?.id]);
    assert.deepEqual(await balance(), { posted: before.posted, available: before.available - 1_500n }, 'held once');
    const reversed = await send({ type: 'REVERSAL', amount: '1500', authorizationId: first.authorization!.id });
    assert.equal(reversed.responseCode, '00');
    assert.deepEqual(await balance(), before, 'the reversal released it');
  });

  it('a blocked MCC is 57, an amount over the limit 61, more than the balance 51: nothing stays held', async () => {
    const before = await balance();
    const casino = await send({ type: 'AUTHORIZATION', amount: '1000', mcc: '7995' });
    assert.deepEqual([casino.responseCode, casino.approved, casino.authorization?.declineReason], ['57', false, 'TRANSACTION_NOT_PERMITTED']);
    const big = await send({ type: 'AUTHORIZATION', amount: '60000' });
    assert.deepEqual([big.responseCode, big.authorization?.state], ['61', 'DECLINED']);
    const broke = await send({ type: 'AUTHORIZATION', amount: '49000' });
    assert.equal(broke.responseCode, '00', 'within the limit and the balance');
    const overdrawn = await send({ type: 'AUTHORIZATION', amount: '45000' });
    assert.equal(overdrawn.responseCode, '51', 'the ledger refuses the hold');
    assert.deepEqual(await balance(), { posted: before.posted, available: before.available - 49_000n }, 'only the approval is held');
    await send({ type: 'REVERSAL', amount: '49000', authorizationId: broke.authorization!.id });
    assert.deepEqual(await balance(), before);
  });

  it('bad input: a bad PAN, an expired card, a bad CVV, an unknown card, a malformed message get their codes and write nothing', async () => {
    const count = async () => (await w.ok(CardAuthorizationsDocument, { id: cardId, first: 100 }, w.cardsClient(tenant))).card?.authorizations.length ?? 0;
    const n = await count();
    const before = await balance();
    const message = (elements: Record<string, string>, mti = '0100') => ({ mti, elements: Object.entries(elements).map(([number, value]) => ({ number, value })) });
    const base = { '2': pan, '3': '000000', '4': '000000001000', '7': '1206120000', '11': '000777', '14': expiry, '18': '5411', '22': '812', '37': 'E2EBADINPUT1', '42': 'MERCHANT000001', '43': 'SHOP                     SAO PAULO    BR', '49': '986', '126': cvv };
    const answer = async (elements: Record<string, string>, mti?: string) => (await w.ok(SimulateCardNetworkMessageDocument, { message: message(elements, mti) }, w.cardsClient(tenant))).simulateCardNetworkMessage.responseCode;
    const badLuhn = pan.slice(0, -1) + String((Number(pan.at(-1)) + 1) % 10);
    assert.equal(await answer({ ...base, '2': badLuhn }), '14', 'bad check digit');
    assert.equal(await answer({ ...base, '14': '2001' }), '54', 'expired');
    assert.equal(await answer({ ...base, '126': cvv === '000' ? '001' : '000' }), 'N7', 'bad CVV2');
    assert.equal(await answer({ ...base, '2': '4111111111111111' }), '14', 'no such card');
    const { '4': _amount, ...noAmount } = base;
    assert.equal(await answer(noAmount), '30', 'a mandatory element missing');
    assert.equal(await answer(base, '0999'), '30', 'an unknown message type');
    assert.equal(await count(), n, 'no authorisation written');
    assert.deepEqual(await balance(), before, 'nothing held');
  });

  it("a tenant decision webhook that hangs gets the stand-in within its deadline; one that answers decides", async () => {
    let mode: 'hang' | 'decline' = 'hang';
    const asked: string[] = [];
    const server = createServer((req, res) => {
      let body = '';
      req.on('data', (d: Buffer) => (body += d.toString()));
      req.on('end', () => {
        asked.push(req.headers['webhook-signature'] ? 'signed' : 'unsigned');
        if (mode === 'decline') res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ decision: 'DECLINE' }));
      });
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    try {
      const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/decide`;
      const set = await w.ok(SetTenantCardSettingsDocument, { input: { decisionUrl: url, decisionTimeoutMs: 300, standIn: 'APPROVE' } }, w.cardsClient(tenant));
      assert.match(set.setTenantCardSettings.decisionSecret ?? '', /^whsec_/, 'the signing secret, shown once');
      const started = Date.now();
      const stood = await send({ type: 'AUTHORIZATION', amount: '700' });
      assert.ok(Date.now() - started < 3_000, `answered in ${Date.now() - started} ms`);
      assert.deepEqual([stood.responseCode, stood.authorization?.decidedBy], ['00', 'STAND_IN']);
      mode = 'decline';
      const declined = await send({ type: 'AUTHORIZATION', amount: '700' });
      assert.deepEqual([declined.responseCode, declined.authorization?.decidedBy], ['05', 'TENANT']);
      assert.ok(asked.length >= 2 && asked.every((a) => a === 'signed'), 'every request signed');
      await send({ type: 'REVERSAL', amount: '700', authorizationId: stood.authorization!.id });
    } finally {
      await w.ok(SetTenantCardSettingsDocument, { input: { decisionUrl: '' } }, w.cardsClient(tenant));
      server.closeAllConnections();
      await new Promise((r) => server.close(r));
    }
  });

  it('a wallet token pays while ACTIVE; suspended or deleted it is declined 62 and the card goes on; another card\'s token is 14', async () => {
    const token = (await w.ok(ProvisionNetworkTokenDocument, { input: { id: uuidv7(), cardId, wallet: 'GOOGLE_PAY', deviceId: 'pixel-e2e' } }, session.identity)).provisionNetworkToken;
    const before = (await balance()).available;
    const paid = await send({ type: 'AUTHORIZATION', amount: '300', channel: 'CONTACTLESS', tokenId: token.id });
    assert.equal(paid.responseCode, '00', JSON.stringify(paid));
    assert.equal((await balance()).available, before - 300n);
    await w.ok(SuspendNetworkTokenDocument, { id: token.id }, session.identity);
    const suspended = await send({ type: 'AUTHORIZATION', amount: '300', channel: 'CONTACTLESS', tokenId: token.id });
    assert.deepEqual([suspended.responseCode, suspended.authorization], ['62', null], 'refused before anything is claimed or held');
    const plastic = await send({ type: 'AUTHORIZATION', amount: '300', channel: 'CONTACTLESS' });
    assert.equal(plastic.responseCode, '00', 'the card itself still pays');
    await w.ok(DeleteNetworkTokenDocument, { id: token.id }, session.identity);
    assert.equal((await send({ type: 'AUTHORIZATION', amount: '300', channel: 'CONTACTLESS', tokenId: token.id })).responseCode, '62');
    const otherCard = uuidv7();
    await w.ok(IssueCardDocument, { input: { id: otherCard, accountId: account.id, form: 'VIRTUAL' } }, alice.identity);
    const foreign = (await w.ok(ProvisionNetworkTokenDocument, { input: { id: uuidv7(), cardId: otherCard, wallet: 'APPLE_PAY', deviceId: 'iphone-e2e' } }, session.identity)).provisionNetworkToken;
    assert.equal((await send({ type: 'AUTHORIZATION', amount: '300', channel: 'CONTACTLESS', tokenId: foreign.id })).responseCode, '14', "another card's token");
    assert.equal((await balance()).available, before - 600n, 'only the two approvals hold money');
    for (const a of [paid, plastic]) await send({ type: 'REVERSAL', amount: '300', authorizationId: a.authorization!.id });
    assert.equal((await balance()).available, before);
  });

  it("another tenant reaches nothing: not the card, its authorisations, or its PAN through the simulator", async () => {
    const client = w.cardsClient(other);
    const refused = await w.request(SimulateCardTransactionDocument, { input: { id: uuidv7(), cardId, type: 'AUTHORIZATION', amount: '100' } }, client);
    assert.equal(errorCode(refused), 'NOT_FOUND');
    const read = await w.request(CardAuthorizationDocument, { id: authorizationId }, client);
    assert.equal(read.data?.cardAuthorization ?? null, null);
    const viaPan = await w.ok(SimulateCardNetworkMessageDocument, { message: { mti: '0100', elements: [{ number: '2', value: pan }, { number: '3', value: '000000' }, { number: '4', value: '000000000100' }, { number: '7', value: '1206120000' }, { number: '11', value: '000888' }, { number: '14', value: expiry }, { number: '18', value: '5411' }, { number: '22', value: '812' }, { number: '37', value: 'E2EOTHERTEN1' }, { number: '42', value: 'M1' }, { number: '49', value: '986' }] } }, client);
    assert.deepEqual([viaPan.simulateCardNetworkMessage.responseCode, viaPan.simulateCardNetworkMessage.authorization], ['14', null], 'answered as an unknown card');
    const customer = await w.request(SimulateCardTransactionDocument, { input: { id: uuidv7(), cardId, type: 'AUTHORIZATION', amount: '100' } }, alice.identity);
    assert.equal(errorCode(customer), 'FORBIDDEN', 'the simulator is the network, not the cardholder');
  });
});
