import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { uuidv7 } from '@baas/db';
import { CardAuthorizationsDocument, IssueCardDocument, SimulateCardTransactionDocument } from '@baas/sdk';
import { SET_RISK_SETTINGS, type OpenedAccount, type Tenant } from '../risk/risk-world';
import { startCardsWorld, type CardsWorld } from './cards-world';

const FUNDED = 100_000n;
const EACH = 700n;

/**
 * Issue 15: 200 authorisations on one card sent at once through the gateway never spend more than the
 * account holds. Exactly what the balance covers is approved (the ledger's holds decide, one account,
 * no lock in cards), every other one is 51, and the balances show exactly the approvals held.
 */
describe('200 concurrent authorisations on one card (issue 15)', () => {
  let w: CardsWorld;
  let tenant: Tenant;
  let account: OpenedAccount;
  let cardId: string;

  before(async () => {
    w = await startCardsWorld();
    tenant = await w.newTenant();
    await w.ok(SET_RISK_SETTINGS, { input: { tenantId: tenant.id, reviewAtBps: 10000, blockAtBps: 10000 } }, w.operator);
    const alice = await w.newCustomer(tenant);
    account = await w.openAccount(alice, FUNDED);
    cardId = uuidv7();
    await w.ok(IssueCardDocument, { input: { id: cardId, accountId: account.id, form: 'VIRTUAL' } }, alice.identity);
  });
  after(async () => {
    await w?.stop();
  });

  it('approves exactly what the balance covers, declines the rest 51, holds exactly the approvals', async () => {
    const client = w.cardsClient(tenant);
    const answers = await Promise.all(
      Array.from({ length: 200 }, () => w.ok(SimulateCardTransactionDocument, { input: { id: uuidv7(), cardId, type: 'AUTHORIZATION', amount: EACH.toString() } }, client)),
    );
    const codes = answers.map((a) => a.simulateCardTransaction.responseCode);
    const approved = codes.filter((c) => c === '00').length;
    assert.equal(approved, Number(FUNDED / EACH), `approved ${approved}`);
    assert.deepEqual([...new Set(codes.filter((c) => c !== '00'))], ['51'], 'every other one: insufficient funds');
    assert.deepEqual(await w.balance(account.id), { posted: FUNDED, available: FUNDED - BigInt(approved) * EACH }, 'held, never more than the balance');
    const listed = (await w.ok(CardAuthorizationsDocument, { id: cardId, first: 100 }, client)).card!.authorizations;
    assert.ok(listed.every((a) => (a.state === 'APPROVED') === (a.responseCode === '00')));
  });
});
