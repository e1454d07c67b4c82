import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { setTimeout as sleep } from 'node:timers/promises';
import { parse } from 'graphql';
import pg from 'pg';
import { uuidv7 } from '@baas/db';
import { graphqlRequest } from '@baas/sdk';
import { createTestDatabase } from '@baas/testing';
import { startPlatform, type TestPlatform } from '@baas/test-platform';
import { describeEntry } from '../src/domain/statement';

type Gql = { errors?: { message: string; extensions?: Record<string, unknown> }[] };
type M = { minorUnits: string; currency: string };
type Page = {
  openingBalance: M;
  closingBalance: M;
  endCursor: string | null;
  hasNextPage: boolean;
  entries: { transferId: string; at: string; amount: M; runningBalance: M; description: string; counterpartyAccountId: string | null }[];
};

describe('statement descriptions', () => {
  it('uses metadata.description, else the transfer code', () => {
    assert.equal(describeEntry(1, { description: 'Rent' }), 'Rent');
    assert.equal(describeEntry(1, null), 'Transfer');
    assert.equal(describeEntry(2, {}), 'Sandbox funding');
    assert.equal(describeEntry(3, null), 'FX');
    assert.equal(describeEntry(4, { description: '  ' }), 'FX');
    assert.equal(describeEntry(77, null), 'Ledger entry');
  });
});

/** Statements through the gateway: running balances computed by the ledger, pages, CSV. */
describe('statements through the gateway', () => {
  let db: Awaited<ReturnType<typeof createTestDatabase>>;
  let sql: pg.Client;
  let platform: TestPlatform;
  let service: string;
  let alice: string;
  let bob: string;
  const tenant = uuidv7();
  const aliceId = uuidv7();
  const acct = { main: uuidv7(), savings: uuidv7(), bob: uuidv7() };
  const fundingId = uuidv7();
  const ids = { t1: uuidv7(), t2: uuidv7(), t3: uuidv7(), t4: uuidv7(), hold: uuidv7(), post: uuidv7(), t5: uuidv7(), t6: uuidv7() };
  let periodFrom: string;
  let periodTo: string;

  /** The ledger's writes are @inaccessible through the gateway: an internal service calls the ledger directly. */
  const ledger = <T>(query: string, variables: Record<string, unknown> = {}) => platform.callSubgraph<T>('ledger', query, variables, { subject: 'test', kind: 'service', tenantId: null, scopes: [] });
  const gql = async <T>(token: string, query: string, variables: Record<string, unknown> = {}) =>
    (await graphqlRequest<T, Record<string, unknown>>({ url: platform.gatewayUrl, document: parse(query), variables, token })) as Gql & { data?: T };
  const transfers = async (t: Record<string, unknown>[], mutation = 'createTransfers', input = 'TransferInput') => {
    const r = await ledger<Record<string, { status: string; error: string | null }[]>>(
      `mutation T($t: [${input}!]!) { ${mutation}(transfers: $t) { status error } }`,
      { t },
    );
    assert.deepEqual(r.data?.[mutation]?.map((x) => x.status), t.map(() => 'CREATED'), JSON.stringify(r));
  };
  const STATEMENT = `query S($id: ID!, $from: DateTime, $to: DateTime, $first: Int, $after: String) { account(id: $id) {
    statement(from: $from, to: $to, first: $first, after: $after) {
      openingBalance { minorUnits currency } closingBalance { minorUnits currency } endCursor hasNextPage
      entries { transferId at amount { minorUnits currency } runningBalance { minorUnits } description counterpartyAccountId } } } }`;
  const statement = async (token: string, variables: Record<string, unknown>) => {
    const r = await gql<{ account: { statement: Page } }>(token, STATEMENT, variables);
    assert.equal(r.errors, undefined, JSON.stringify(r.errors));
    return r.data!.account.statement;
  };

  before(async () => {
    db = await createTestDatabase();
    sql = new pg.Client({ connectionString: db.url });
    await sql.connect();
    await sql.query(`insert into identity.tenant (id, slug, name) values ($1, 'st', 'ST')`, [tenant]);
    const bobId = uuidv7();
    for (const id of [aliceId, bobId]) {
      await sql.query(`insert into identity.customer (id, tenant_id, kind, display_name) values ($1, $2, 'PERSON', 'C')`, [id, tenant]);
    }
    platform = await startPlatform({ databaseUrl: db.url });
    service = await platform.mintToken({ subject: 'test', kind: 'service', tenantId: null, scopes: [] });
    alice = await platform.mintToken({ subject: aliceId, kind: 'customer', tenantId: tenant, scopes: [] });
    bob = await platform.mintToken({ subject: bobId, kind: 'customer', tenantId: tenant, scopes: [] });
    const OPEN = `mutation O($input: OpenAccountInput!) { openAccount(input: $input) { status } }`;
    for (const id of [acct.main, acct.savings]) assert.equal((await gql(alice, OPEN, { input: { id, currency: 'BRL' } })).errors, undefined);
    assert.equal((await gql(bob, OPEN, { input: { id: acct.bob, currency: 'BRL' } })).errors, undefined);
    const created = await ledger<{ createLedgerAccounts: { status: string }[] }>(
      `mutation A($a: [CreateLedgerAccountInput!]!) { createLedgerAccounts(accounts: $a) { id status error } }`,
      { a: [{ id: fundingId, currency: 'BRL', code: 900 }] },
    );
    assert.equal(created.data?.createLedgerAccounts[0]?.status, 'CREATED');

    const t = (id: string, debit: string, credit: string, amount: string, extra: Record<string, unknown> = {}) => ({ id, debitAccountId: debit, creditAccountId: credit, amount, currency: 'BRL', code: 2, ...extra });
    // Before the period: +1000.00, +250.00 → opening 1250.00
    await transfers([t(ids.t1, fundingId, acct.main, '100000'), t(ids.t2, fundingId, acct.main, '25000')]);
    await sleep(30);
    periodFrom = new Date().toISOString();
    await sleep(30);
    // In the period: −300.00 to savings (a transfer with a description), +10.05, a hold of 50.00 (not posted),
    // then a partial post of 20.00 of it, and −0.05.
    await transfers([t(ids.t3, acct.main, acct.savings, '30000', { code: 1, metadata: { description: '=Rent, "May"' } })]);
    await transfers([t(ids.t4, fundingId, acct.main, '1005')]);
    await transfers([t(ids.hold, acct.main, fundingId, '5000', { pending: true, code: 1 })]);
    await transfers([{ id: ids.post, pendingId: ids.hold, amount: '2000' }], 'postPendingTransfers', 'PostPendingTransferInput');
    await transfers([t(ids.t5, acct.main, fundingId, '5', { code: 1 })]);
    await sleep(30);
    periodTo = new Date().toISOString();
    await sleep(30);
    await transfers([t(ids.t6, fundingId, acct.main, '777')]); // after the period
  });

  after(async () => {
    await sql?.end();
    await platform?.stop();
    await db?.drop();
  });

  it('shows posted entries of the period with exact running balances', async () => {
    const page = await statement(alice, { id: acct.main, from: periodFrom, to: periodTo });
    assert.deepEqual(page.openingBalance, { minorUnits: '125000', currency: 'BRL' });
    assert.deepEqual(
      page.entries.map((e) => [e.transferId, e.amount.minorUnits, e.runningBalance.minorUnits, e.description, e.counterpartyAccountId]),
      [
        [ids.t3, '-30000', '95000', '=Rent, "May"', acct.savings], // Alice may see her savings account
        [ids.t4, '1005', '96005', 'Sandbox funding', null], // a platform account: not shown
        [ids.post, '-2000', '94005', 'Transfer', null], // the post, not the hold
        [ids.t5, '-5', '94000', 'Transfer', null],
      ],
    );
    assert.deepEqual(page.closingBalance, { minorUnits: '94000', currency: 'BRL' });
    assert.equal(page.hasNextPage, false);
    assert.ok(page.entries.every((e) => e.at >= periodFrom && e.at < periodTo && e.amount.currency === 'BRL'));
    // The other side sees the same transfer as a credit; the whole history ends at the ledger's posted balance.
    const savings = await statement(alice, { id: acct.savings });
    assert.deepEqual(savings.entries.map((e) => [e.amount.minorUnits, e.runningBalance.minorUnits, e.counterpartyAccountId]), [['30000', '30000', acct.main]]);
    const all = await statement(alice, { id: acct.main });
    assert.equal(all.openingBalance.minorUnits, '0');
    assert.equal(all.entries.length, 7);
    const ledger = await gql<{ ledgerAccount: { balance: { posted: { minorUnits: string } } } }>(service, `query B($id: ID!) { ledgerAccount(id: $id) { balance { posted { minorUnits } } } }`, { id: acct.main });
    assert.equal(all.closingBalance.minorUnits, ledger.data?.ledgerAccount.balance.posted.minorUnits);
    assert.equal(all.closingBalance.minorUnits, '94777');
  });

  it('pages by journal position, running balances continuing across pages', async () => {
    const p1 = await statement(alice, { id: acct.main, from: periodFrom, to: periodTo, first: 3 });
    assert.deepEqual(p1.entries.map((e) => e.runningBalance.minorUnits), ['95000', '96005', '94005']);
    assert.equal(p1.hasNextPage, true);
    assert.ok(p1.endCursor);
    const p2 = await statement(alice, { id: acct.main, from: periodFrom, to: periodTo, first: 3, after: p1.endCursor });
    assert.deepEqual(p2.openingBalance.minorUnits, '125000');
    assert.deepEqual(p2.entries.map((e) => [e.transferId, e.runningBalance.minorUnits]), [[ids.t5, '94000']]);
    assert.equal(p2.hasNextPage, false);
    const code = async (v: Record<string, unknown>, token = alice) => (await gql(token, STATEMENT, v)).errors?.[0]?.extensions?.['code'];
    // The gateway's cost analysis may refuse a large `first` before the subgraph does.
    assert.ok(['BAD_USER_INPUT', 'QUERY_TOO_COMPLEX'].includes(String(await code({ id: acct.main, first: 501 }))));
    assert.equal(await code({ id: acct.main, first: 0 }), 'BAD_USER_INPUT');
    assert.equal(await code({ id: acct.main, after: 'abc' }), 'BAD_USER_INPUT');
    assert.equal(await code({ id: acct.main, from: 'yesterday' }), 'BAD_USER_INPUT');
    assert.equal(await code({ id: acct.main, from: periodTo, to: periodFrom }), 'BAD_USER_INPUT');
    assert.equal(await code({ id: acct.main }, bob), 'FORBIDDEN');
  });

  it('renders the period as RFC 4180 CSV', async () => {
    const r = await gql<{ account: { statementCsv: string } }>(alice, `query C($id: ID!, $from: DateTime, $to: DateTime) { account(id: $id) { statementCsv(from: $from, to: $to) } }`, {
      id: acct.main,
      from: periodFrom,
      to: periodTo,
    });
    assert.equal(r.errors, undefined, JSON.stringify(r.errors));
    const lines = r.data!.account.statementCsv.split('\r\n');
    assert.equal(lines.pop(), ''); // CRLF after the last record too
    assert.equal(lines[0], 'date,id,description,amount,balance,currency,accountTransferId');
    const rows = lines.slice(1).map((l) => l.split(',').slice(1)); // the date varies
    assert.deepEqual(rows, [
      [ids.t3, `"'=Rent`, ` ""May"""`, '-300.00', '950.00', 'BRL', ''], // quoted, formula-neutralised description
      [ids.t4, 'Sandbox funding', '10.05', '960.05', 'BRL', ''],
      [ids.post, 'Transfer', '-20.00', '940.05', 'BRL', ''],
      [ids.t5, 'Transfer', '-0.05', '940.00', 'BRL', ''],
    ]);
    assert.ok(lines.slice(1).every((l) => /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z,/.test(l)));
  });

  it('exposes the ledger statement to the account holder only', async () => {
    const q = `query L($id: ID!) { ledgerAccount(id: $id) { statement(first: 2) { openingBalance hasNextPage endCursor entries { transferId amount runningBalance code metadata } } } }`;
    const mine = await gql<{ ledgerAccount: { statement: { hasNextPage: boolean; entries: { transferId: string; amount: string; runningBalance: string; code: number }[] } } }>(alice, q, { id: acct.main });
    assert.equal(mine.errors, undefined, JSON.stringify(mine.errors));
    assert.deepEqual(mine.data!.ledgerAccount.statement.entries.map((e) => [e.transferId, e.amount, e.runningBalance, e.code]), [
      [ids.t1, '100000', '100000', 2],
      [ids.t2, '25000', '125000', 2],
    ]);
    assert.equal(mine.data!.ledgerAccount.statement.hasNextPage, true);
    assert.equal((await gql(bob, q, { id: acct.main })).errors?.[0]?.extensions?.['code'], 'FORBIDDEN');
  });
});
