import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import pg from 'pg';
import { parse } from 'graphql';
import { uuidv7 } from '@baas/db';
import {
  AccountByIdDocument,
  ExecuteFxQuoteDocument,
  FundSandboxAccountDocument,
  graphqlRequest,
  OpenAccountDocument,
  QuoteFxDocument,
  SignUpCustomerDocument,
  StartSignInDocument,
  StatementCsvDocument,
  StatementDocument,
  TransferDocument,
  VerifySignInCodeDocument,
} from '@baas/sdk';
import { createTestDatabase, eventually } from '@baas/testing';
import { startPlatform, type TestPlatform } from '@baas/test-platform';
import type { TypedDocumentNode } from '@graphql-typed-document-node/core';
import { cpfCheckDigits } from '@baas/br-documents';

/**
 * Issue 5's scenario through the gateway with the typed SDK: a customer signs in, opens two BRL
 * accounts and a USD account, the sandbox funds one, a transfer moves money, an FX conversion moves
 * it across currencies, balances and statements are exact; then 200 parallel transfers out of one
 * account never overdraw it. (The interrupted saga is in subgraphs/accounts/test/transfers*.)
 */
describe('accounts flow through the gateway', () => {
  let db: Awaited<ReturnType<typeof createTestDatabase>>;
  let platform: TestPlatform;
  const tenantId = uuidv7();
  const email = `joao.${uuidv7().slice(-8)}@example.com`;
  let customer: string;
  const ids = { brl1: uuidv7(), brl2: uuidv7(), usd: uuidv7() };

  const call = <T, V>(document: TypedDocumentNode<T, V>, variables: V, token?: string) =>
    graphqlRequest<T, V>({ url: platform.gatewayUrl, document, variables, ...(token ? { token } : {}) });
  const ok = async <T, V>(document: TypedDocumentNode<T, V>, variables: V, token?: string): Promise<T> => {
    const res = await call(document, variables, token);
    assert.equal(res.errors, undefined, JSON.stringify(res.errors));
    return res.data!;
  };
  const balance = async (id: string) => {
    const data = await ok(AccountByIdDocument, { id }, customer);
    return { posted: BigInt(data.account!.balance.posted.minorUnits), available: BigInt(data.account!.balance.available.minorUnits) };
  };

  before(async () => {
    db = await createTestDatabase();
    const client = new pg.Client({ connectionString: db.url });
    await client.connect();
    await client.query(`insert into identity.tenant (id, slug, name) values ($1, 'flow5', 'Flow 5')`, [tenantId]);
    await client.query(`insert into accounts.tenant_settings (tenant_id, currencies) values ($1, '{BRL,USD}')`, [tenantId]);
    await client.end();
    platform = await startPlatform({ databaseUrl: db.url });
  });
  after(async () => {
    await platform?.stop();
    await db?.drop();
  });

  it('a customer signs up and signs in with a one-time code', async () => {
    const backend = await platform.mintToken({ subject: uuidv7(), kind: 'api_client', tenantId, scopes: ['customers:write'] });
    const base = '111444777';
    await ok(SignUpCustomerDocument, { input: { id: uuidv7(), kind: 'PERSON', displayName: 'João', taxId: base + cpfCheckDigits(base), email } }, backend);
    const challengeId = uuidv7();
    await ok(StartSignInDocument, { input: { id: challengeId, tenantId, channel: 'EMAIL', destination: email } });
    const code = await eventually(async () => {
      const res = await fetch(new URL(`/dev/notifications?to=${encodeURIComponent(email)}`, platform.subgraphUrls.identity));
      const body = (await res.json()) as { notifications: { code: string }[] };
      assert.ok(body.notifications[0]?.code);
      return body.notifications[0].code;
    });
    const tokens = await ok(VerifySignInCodeDocument, { challengeId, code });
    customer = tokens.verifySignInCode.accessToken.accessToken;
  });

  it('opens two BRL accounts and a USD account; the sandbox funds one', async () => {
    for (const [id, currency] of [[ids.brl1, 'BRL'], [ids.brl2, 'BRL'], [ids.usd, 'USD']] as const) {
      const opened = await ok(OpenAccountDocument, { input: { id, currency } }, customer);
      assert.equal(opened.openAccount.account.currency, currency);
    }
    const operator = await platform.mintToken({ subject: 'ops', kind: 'operator', tenantId: null, scopes: [] });
    const funded = await ok(FundSandboxAccountDocument, { input: { id: uuidv7(), accountId: ids.brl1, amount: '100000' } }, operator);
    assert.equal(funded.fundSandboxAccount.status, 'POSTED');
    assert.deepEqual(await balance(ids.brl1), { posted: 100_000n, available: 100_000n });
  });

  it('a transfer moves money between the BRL accounts, exactly once', async () => {
    const input = { id: uuidv7(), fromAccountId: ids.brl1, toAccountId: ids.brl2, amount: '25000', description: 'rent' };
    const done = await ok(TransferDocument, { input }, customer);
    assert.equal(done.transfer.status, 'POSTED');
    const again = await ok(TransferDocument, { input }, customer);
    assert.equal(again.transfer.status, 'POSTED');
    assert.deepEqual(await balance(ids.brl1), { posted: 75_000n, available: 75_000n });
    assert.deepEqual(await balance(ids.brl2), { posted: 25_000n, available: 25_000n });
    const usd = await call(TransferDocument, { input: { id: uuidv7(), fromAccountId: ids.brl1, toAccountId: ids.usd, amount: '1' } }, customer);
    assert.equal(usd.errors?.[0]?.extensions?.code ?? usd.data?.transfer.failureCode, 'CURRENCY_MISMATCH');
  });

  it('an FX conversion moves money across currencies at the quoted amounts', async () => {
    const quote = await ok(QuoteFxDocument, { input: { id: uuidv7(), fromAccountId: ids.brl1, toAccountId: ids.usd, sellAmount: '54321' } }, customer);
    assert.equal(quote.quoteFx.sell.minorUnits, '54321');
    const buy = BigInt(quote.quoteFx.buy.minorUnits);
    assert.ok(buy > 0n && buy < 10_000n, `about 100 USD minus the spread, got ${buy}`);
    const executed = await ok(ExecuteFxQuoteDocument, { id: uuidv7(), quoteId: quote.quoteFx.id }, customer);
    assert.equal(executed.executeFxQuote.status, 'POSTED');
    assert.deepEqual(await balance(ids.brl1), { posted: 75_000n - 54_321n, available: 75_000n - 54_321n });
    assert.deepEqual(await balance(ids.usd), { posted: buy, available: buy });
  });

  it("the statement lists every posted entry with exact running balances, and as CSV", async () => {
    const data = await ok(StatementDocument, { id: ids.brl1, first: 100 }, customer);
    const st = data.account!.statement;
    assert.deepEqual(st.entries.map((e) => e.amount.minorUnits), ['100000', '-25000', '-54321']);
    assert.deepEqual(st.entries.map((e) => e.runningBalance.minorUnits), ['100000', '75000', '20679']);
    assert.equal(st.openingBalance.minorUnits, '0');
    assert.equal(st.closingBalance.minorUnits, '20679');
    const csv = (await ok(StatementCsvDocument, { id: ids.brl1 }, customer)).account!.statementCsv;
    const lines = csv.trimEnd().split('\r\n');
    assert.equal(lines.length, 4, csv);
    assert.match(lines[3]!, /-543\.21/);
  });

  it('200 parallel transfers out of one account never overdraw it and leave exact balances', async () => {
    const before1 = await balance(ids.brl1);
    const before2 = await balance(ids.brl2); // 25,000
    const outcomes = await Promise.all(
      Array.from({ length: 200 }, () => call(TransferDocument, { input: { id: uuidv7(), fromAccountId: ids.brl2, toAccountId: ids.brl1, amount: '200' } }, customer)),
    );
    // A saga may answer while still in progress under a burst; it finishes on its own (recovery).
    const FINAL = new Set(['POSTED', 'VOIDED', 'FAILED']);
    const statuses = await Promise.all(
      outcomes.map((o) => {
        const t = o.data?.transfer;
        if (!t || FINAL.has(t.status)) return t?.status ?? o.errors?.[0]?.extensions?.code;
        return eventually(async () => {
          const now = await graphqlRequest<{ accountTransfer: { status: string } }, { id: string }>({
            url: platform.gatewayUrl,
            document: parse('query Q($id: ID!) { accountTransfer(id: $id) { status } }'),
            variables: { id: t.id },
            token: customer,
          });
          const status = now.data?.accountTransfer.status ?? 'unknown';
          assert.ok(FINAL.has(status), `saga ${t.id} is ${status}`);
          return status;
        }, { attempts: 100, delayMs: 300 });
      }),
    );
    const posted = statuses.filter((s) => s === 'POSTED').length;
    assert.equal(posted, 125, `25,000 / 200 = 125 can pass; got ${JSON.stringify(statuses.reduce<Record<string, number>>((m, s) => ({ ...m, [String(s)]: (m[String(s)] ?? 0) + 1 }), {}))}`);
    const after2 = await balance(ids.brl2);
    const after1 = await balance(ids.brl1);
    assert.equal(after2.posted, before2.posted - BigInt(posted) * 200n);
    assert.equal(after2.available, after2.posted, 'no hold left behind');
    assert.ok(after2.posted >= 0n);
    assert.equal(after1.posted, before1.posted + BigInt(posted) * 200n);
  });
});
