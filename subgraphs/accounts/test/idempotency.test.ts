import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { legacyRequestHash } from '@baas/idempotency';
import { createWorld, TRANSFER, type TransferResult, type World } from './helpers/transfers-fixture';

/** Accounts' creating mutations on @baas/idempotency: races, keys of other customers, rows hashed before it. */
describe('accounts idempotency (transfer, openAccount, quoteFx, executeFxQuote)', () => {
  let w: World;
  before(async () => {
    w = await createWorld({ SAGA_STEP_DELAY_MS: '0', DEFAULT_CURRENCIES: 'BRL,USD', FX_MID_RATES: 'USD/BRL=5.4321' });
  });
  after(async () => {
    await w?.stop();
  });

  it('one transfer raced eight times: one saga, one movement, every answer the same saga', async () => {
    const alice = await w.newCustomer();
    const [a, b] = [await w.openAccount(alice), await w.openAccount(alice)];
    await w.fund(a, '1000');
    const input = { id: randomUUID(), fromAccountId: a, toAccountId: b, amount: '100' };
    const results = await Promise.all(Array.from({ length: 8 }, () => w.gql<TransferResult>(TRANSFER, { input }, alice.token)));
    assert.ok(results.every((r) => !r.errors), JSON.stringify(results.map((r) => r.errors)));
    assert.equal(new Set(results.map((r) => r.data!.transfer.createdAt)).size, 1);
    assert.equal((await w.sql.query('select count(*)::int n from accounts.transfer_saga where id = $1', [input.id])).rows[0].n, 1);
    const WAIT = `mutation T($input: AccountTransferInput!, $waitMs: Int) { transfer(input: $input, waitMs: $waitMs) { id status failureCode amount { minorUnits currency } createdAt } }`;
    const settled = await w.gql<TransferResult>(WAIT, { input, waitMs: 10_000 }, alice.token);
    assert.equal(settled.data?.transfer.status, 'POSTED', JSON.stringify(settled));
    assert.equal((await w.balance(a)).posted, 900n);
  });

  it("another customer's key is FORBIDDEN and shows nothing of that transfer; the owner's other request under it IDEMPOTENCY_KEY_REUSED", async () => {
    const [alice, bob] = [await w.newCustomer(), await w.newCustomer()];
    const [a, a2, b, b2] = [await w.openAccount(alice), await w.openAccount(alice), await w.openAccount(bob), await w.openAccount(bob)];
    await w.fund(a, '500');
    await w.fund(b, '500');
    const input = { id: randomUUID(), fromAccountId: a, toAccountId: a2, amount: '10' };
    assert.equal((await w.gql<TransferResult>(TRANSFER, { input }, alice.token)).errors, undefined);
    const bobs = await w.gql<TransferResult>(TRANSFER, { input: { ...input, fromAccountId: b, toAccountId: b2 } }, bob.token);
    assert.equal(bobs.errors?.[0]?.extensions?.code, 'FORBIDDEN');
    assert.equal(bobs.data ?? null, null);
    const other = await w.gql<TransferResult>(TRANSFER, { input: { ...input, amount: '11' } }, alice.token);
    assert.equal(other.errors?.[0]?.extensions?.code, 'IDEMPOTENCY_KEY_REUSED');
  });

  it('a saga and an account stored with the request hash of before @baas/idempotency still replay', async () => {
    const carol = await w.newCustomer();
    const [a, b] = [await w.openAccount(carol), await w.openAccount(carol)];
    await w.fund(a, '300');
    const input = { id: randomUUID(), fromAccountId: a, toAccountId: b, amount: '30', description: 'old' };
    const first = await w.gql<TransferResult>(TRANSFER, { input }, carol.token);
    assert.equal(first.errors, undefined, JSON.stringify(first.errors));
    const legacy = legacyRequestHash({ kind: 'TRANSFER', from: a, to: b, amount: '30', description: 'old' });
    await w.sql.query('update accounts.transfer_saga set request_hash = $2 where id = $1', [input.id, legacy]);
    const again = await w.gql<TransferResult>(TRANSFER, { input }, carol.token);
    assert.equal(again.errors, undefined, JSON.stringify(again.errors));
    assert.equal(again.data!.transfer.createdAt, first.data!.transfer.createdAt);
    assert.equal((await w.gql<TransferResult>(TRANSFER, { input: { ...input, description: 'new' } }, carol.token)).errors?.[0]?.extensions?.code, 'IDEMPOTENCY_KEY_REUSED');

    await w.sql.query('update accounts.account set request_hash = $2 where id = $1', [b, legacyRequestHash({ tenantId: w.tenant, customerId: carol.id, currency: 'BRL' })]);
    const OPEN = `mutation O($input: OpenAccountInput!) { openAccount(input: $input) { status account { id } } }`;
    const reopened = await w.gql<{ openAccount: { status: string } }>(OPEN, { input: { id: b, currency: 'BRL' } }, carol.token);
    assert.equal(reopened.data?.openAccount.status, 'REPLAYED', JSON.stringify(reopened));
  });

  it('a quote and its execution raced under one id each: one quote, one saga; another execution of the quote is CONFLICT', async () => {
    const dora = await w.newCustomer();
    const [brl, usd] = [await w.openAccount(dora), await w.openAccount(dora, 'USD')];
    await w.fund(brl, '10000');
    const QUOTE = `mutation Q($input: FxQuoteInput!) { quoteFx(input: $input) { id expiresAt } }`;
    const EXECUTE = `mutation E($id: ID!, $quoteId: ID!) { executeFxQuote(id: $id, quoteId: $quoteId) { id status failureCode createdAt } }`;
    const input = { id: randomUUID(), fromAccountId: brl, toAccountId: usd, sellAmount: '5000' };
    const quotes = await Promise.all(Array.from({ length: 6 }, () => w.gql<{ quoteFx: { id: string; expiresAt: string } }>(QUOTE, { input }, dora.token)));
    assert.ok(quotes.every((q) => !q.errors), JSON.stringify(quotes.map((q) => q.errors)));
    assert.equal(new Set(quotes.map((q) => q.data!.quoteFx.expiresAt)).size, 1);
    assert.equal((await w.sql.query('select count(*)::int n from accounts.fx_quote where id = $1', [input.id])).rows[0].n, 1);

    const execId = randomUUID();
    const runs = await Promise.all(Array.from({ length: 6 }, () => w.gql<{ executeFxQuote: { id: string; createdAt: string } }>(EXECUTE, { id: execId, quoteId: input.id }, dora.token)));
    assert.ok(runs.every((r) => !r.errors), JSON.stringify(runs.map((r) => r.errors)));
    assert.equal(new Set(runs.map((r) => r.data!.executeFxQuote.createdAt)).size, 1);
    assert.equal((await w.sql.query('select count(*)::int n from accounts.transfer_saga where quote_id = $1', [input.id])).rows[0].n, 1);
    const second = await w.gql(EXECUTE, { id: randomUUID(), quoteId: input.id }, dora.token);
    assert.equal(second.errors?.[0]?.extensions?.code, 'CONFLICT');
    assert.equal((second.errors?.[0]?.extensions?.details as { reason?: string } | undefined)?.reason, 'QUOTE_ALREADY_EXECUTED');
  });
});
