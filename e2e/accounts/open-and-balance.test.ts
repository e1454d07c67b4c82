import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import pg from 'pg';
import { parse } from 'graphql';
import { uuidv7 } from '@baas/db';
import { graphqlRequest } from '@baas/sdk';
import { createTestDatabase, eventually } from '@baas/testing';
import { startPlatform, type TestPlatform } from '@baas/test-platform';

/** Opening accounts, lifecycle, and balances served from the Redis read model fed by ledger events. */
describe('accounts: opening, lifecycle and the balance read model', () => {
  let db: Awaited<ReturnType<typeof createTestDatabase>>;
  let platform: TestPlatform;
  const tenantId = uuidv7();
  const customerId = uuidv7();
  let customer: string;
  let backend: string;
  const gql = async <T>(query: string, variables: Record<string, unknown>, token?: string) =>
    graphqlRequest<T, Record<string, unknown>>({ url: platform.gatewayUrl, document: parse(query), variables, ...(token ? { token } : {}) });
  /** The ledger's writes are @inaccessible through the gateway: an internal service calls the ledger directly. */
  const ledger = async <T>(query: string, variables: Record<string, unknown>): Promise<T> => {
    const res = await platform.callSubgraph<T>('ledger', query, variables, { subject: 'test', kind: 'service', tenantId: null, scopes: [] });
    assert.equal(res.errors, undefined, JSON.stringify(res.errors));
    return res.data!;
  };
  const ok = async <T>(query: string, variables: Record<string, unknown>, token?: string): Promise<T> => {
    const res = await gql<T>(query, variables, token);
    assert.equal(res.errors, undefined, JSON.stringify(res.errors));
    return res.data!;
  };
  const OPEN = `mutation O($input: OpenAccountInput!) { openAccount(input: $input) { status account { id currency branch number checkDigit status ledgerAccount { id } } } }`;
  const BALANCE = `query B($id: ID!) { account(id: $id) { status balance { posted { minorUnits currency } available { minorUnits } pendingDebits { minorUnits } asOfSeq } } }`;

  before(async () => {
    db = await createTestDatabase();
    const client = new pg.Client({ connectionString: db.url });
    await client.connect();
    await client.query(`insert into identity.tenant (id, slug, name) values ($1, 'acc', 'Acc')`, [tenantId]);
    await client.query(`insert into identity.customer (id, tenant_id, kind, display_name) values ($1, $2, 'PERSON', 'Ana')`, [customerId, tenantId]);
    await client.query(`insert into accounts.tenant_settings (tenant_id, currencies) values ($1, '{BRL,USD}')`, [tenantId]);
    await client.end();
    platform = await startPlatform({ databaseUrl: db.url, env: { LEDGER_OUTBOX_RELAY: 'true' } });
    customer = await platform.mintToken({ subject: customerId, kind: 'customer', tenantId, scopes: ['accounts:read', 'accounts:write'] });
    backend = await platform.mintToken({ subject: uuidv7(), kind: 'api_client', tenantId, scopes: ['accounts:write'] });
  });
  after(async () => {
    await platform?.stop();
    await db?.drop();
  });

  it('opens accounts idempotently with a branch, a number and a valid check digit, each with its ledger account', async () => {
    const id = uuidv7();
    const opened = await ok<{ openAccount: { status: string; account: { id: string; currency: string; branch: string; number: string; checkDigit: string; status: string; ledgerAccount: { id: string } } } }>(OPEN, { input: { id, currency: 'BRL' } }, customer);
    assert.equal(opened.openAccount.status, 'CREATED');
    assert.equal(opened.openAccount.account.branch, '0001');
    assert.match(opened.openAccount.account.number, /^\d{8}$/);
    assert.equal(opened.openAccount.account.ledgerAccount.id, id);
    const again = await ok<typeof opened>(OPEN, { input: { id, currency: 'BRL' } }, customer);
    assert.equal(again.openAccount.status, 'REPLAYED');
    assert.equal(again.openAccount.account.number, opened.openAccount.account.number);
    const reused = await gql(OPEN, { input: { id, currency: 'USD' } }, customer);
    assert.equal(reused.errors?.[0]?.extensions?.code, 'IDEMPOTENCY_KEY_REUSED');
    const eur = await gql(OPEN, { input: { id: uuidv7(), currency: 'EUR' } }, customer);
    assert.equal(eur.errors?.[0]?.extensions?.code, 'CURRENCY_MISMATCH');
    const bad = await gql(OPEN, { input: { id: uuidv7(), currency: 'XYZ' } }, customer);
    assert.equal(bad.errors?.[0]?.extensions?.code, 'BAD_USER_INPUT');
    const other = await ok<typeof opened>(OPEN, { input: { id: uuidv7(), currency: 'USD', customerId } }, backend);
    assert.notEqual(other.openAccount.account.number, opened.openAccount.account.number);
  });

  it('serves balances from the read model once the ledger event arrives, never older than the last write', async () => {
    const id = uuidv7();
    await ok(OPEN, { input: { id, currency: 'BRL' } }, customer);
    const fundingId = uuidv7();
    await ledger(`mutation A($a: [CreateLedgerAccountInput!]!) { createLedgerAccounts(accounts: $a) { status } }`, { a: [{ id: fundingId, tenantId, currency: 'BRL', code: 900 }] });
    const credit = async (amount: number) =>
      ledger(`mutation T($t: [TransferInput!]!) { createTransfers(transfers: $t) { status error } }`, { t: [{ id: uuidv7(), debitAccountId: fundingId, creditAccountId: id, amount: String(amount), currency: 'BRL', code: 2 }] });
    await credit(12_345);
    type B = { account: { balance: { posted: { minorUnits: string }; available: { minorUnits: string }; asOfSeq: string | null } } };
    const first = await ok<B>(BALANCE, { id }, customer);
    assert.equal(first.account.balance.posted.minorUnits, '12345', 'correct at once (from the ledger when the read model has not caught up)');
    const cached = await eventually(async () => {
      const b = await ok<B>(BALANCE, { id }, customer);
      assert.ok(b.account.balance.asOfSeq, 'served from the read model');
      return b;
    });
    assert.equal(cached.account.balance.posted.minorUnits, '12345');
    await credit(55);
    const later = await eventually(async () => {
      const b = await ok<B>(BALANCE, { id }, customer);
      assert.equal(b.account.balance.posted.minorUnits, '12400');
      return b;
    });
    assert.ok(!later.account.balance.asOfSeq || BigInt(later.account.balance.asOfSeq) > BigInt(cached.account.balance.asOfSeq!));
  });

  it('freezes, unfreezes and closes only with a zero balance', async () => {
    const id = uuidv7();
    await ok(OPEN, { input: { id, currency: 'BRL' } }, customer);
    assert.equal((await gql(`mutation F($id: ID!) { freezeAccount(id: $id) { status } }`, { id }, customer)).errors?.[0]?.extensions?.code, 'FORBIDDEN');
    const frozen = await ok<{ freezeAccount: { status: string } }>(`mutation F($id: ID!) { freezeAccount(id: $id) { status } }`, { id }, backend);
    assert.equal(frozen.freezeAccount.status, 'FROZEN');
    await ok(`mutation U($id: ID!) { unfreezeAccount(id: $id) { status } }`, { id }, backend);
    const closed = await ok<{ closeAccount: { status: string } }>(`mutation C($id: ID!) { closeAccount(id: $id) { status } }`, { id }, backend);
    assert.equal(closed.closeAccount.status, 'CLOSED');
    const again = await ok<{ closeAccount: { status: string } }>(`mutation C($id: ID!) { closeAccount(id: $id) { status } }`, { id }, backend);
    assert.equal(again.closeAccount.status, 'CLOSED', 'closing is idempotent');
  });
});
