import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import pg from 'pg';
import type { Identity } from '@baas/auth';
import { uuidv7 } from '@baas/db';
import { createGatewayCaller, createTestDatabase, type GqlResult, type TestDatabase } from '@baas/testing';
import { startPlatform, type TestPlatform } from '@baas/test-platform';

/**
 * Issue 10, items 3, 17, 18 and 20 (and item 2's saga half where a client can reach it), replayed
 * through the gateway as the outside tester did: every way money leaves an account passes the same
 * policy path (step-up, limits, risk) with the same codes, FX at quote time and at execution; an
 * amount outside 1..2^63-1 is BAD_USER_INPUT everywhere; closed and frozen accounts are refused with
 * their own codes in every direction; statement lines carry the client's id and description; a
 * client can wait for a transfer in flight. Nothing here times anything: a hung request fails the
 * test through its abort signal.
 */

type Gql<T = Record<string, unknown>> = GqlResult<T>;
type Saga = { id: string; status: string; failureCode: string | null };

const OPEN = `mutation O($input: OpenAccountInput!) { openAccount(input: $input) { account { id } } }`;
const FUND = `mutation F($input: FundSandboxAccountInput!) { fundSandboxAccount(input: $input) { id status failureCode } }`;
const TRANSFER = `mutation T($input: AccountTransferInput!, $waitMs: Int) { transfer(input: $input, waitMs: $waitMs) { id status failureCode } }`;
const QUOTE = `mutation Q($input: FxQuoteInput!) { quoteFx(input: $input) { id status sell { minorUnits } buy { minorUnits } } }`;
const EXECUTE = `mutation E($id: ID!, $quoteId: ID!, $waitMs: Int) { executeFxQuote(id: $id, quoteId: $quoteId, waitMs: $waitMs) { id status failureCode } }`;
const SETTINGS = `mutation S($input: TenantAccountSettingsInput!) { setTenantAccountSettings(input: $input) { tenantId } }`;
const BALANCE = `query B($id: ID!) { account(id: $id) { balance { posted { minorUnits } available { minorUnits } } } }`;
const STATEMENT = `query St($id: ID!, $after: String) { account(id: $id) { statement(first: 100, after: $after) {
  entries { transferId ledgerTransferId accountTransferId description amount { minorUnits } } } } }`;
const LEDGER_TRANSFER = `query L($id: ID!) { transfer(id: $id) { id } }`;
const CLOSE = `mutation C($id: ID!) { closeAccount(id: $id) { id status } }`;
const FREEZE = `mutation Z($id: ID!) { freezeAccount(id: $id) { id status } }`;

const code = (res: Gql<unknown>) => res.errors?.[0]?.extensions?.code;
/** Amounts the tester sent, none of which is 1..2^63-1 written canonically. */
const OUT_OF_RANGE = ['9223372036854775808', '99999999999999999999999999', '-5', '0', '+5', '1e3', ' 5', '5 ', '5.0', '05', 'abc', ''];

/** A platform with a tenant in sandbox mode whose step-up starts at 100 and per-transaction limit is 1000 (BRL and USD). */
async function world(env: Record<string, string> = {}) {
  const db = await createTestDatabase();
  const sql = new pg.Pool({ connectionString: db.url, max: 2 });
  const tenant = uuidv7();
  const customer = uuidv7();
  await sql.query(`insert into identity.tenant (id, slug, name, sandbox) values ($1, $2, 'Money', true)`, [tenant, `m-${tenant}`]);
  await sql.query(`insert into identity.customer (id, tenant_id, kind, display_name, status) values ($1, $2, 'PERSON', 'P', 'ACTIVE')`, [customer, tenant]);
  const platform = await startPlatform({
    databaseUrl: db.url,
    env: { DEFAULT_CURRENCIES: 'BRL,USD', FX_MID_RATES: 'USD/BRL=5.4321', FX_SPREAD_BPS: '50', ...env },
    gatewayEnv: { RATE_LIMIT_MAX: '100000' },
  });
  const call = createGatewayCaller(platform);
  const policy = { LARGE_TRANSFER: { maxAgeSeconds: 300, minAmountMinor: '100' } };
  const nowSeconds = () => Math.floor(Date.now() / 1000);
  const who = {
    /** A phished or plain session: no passkey confirmation. */
    customer: { subject: customer, kind: 'customer', tenantId: tenant, scopes: ['accounts:read', 'accounts:write'], stepUpPolicy: policy } as Identity,
    /** The same customer right after a passkey step-up. */
    steppedUp: () => ({ subject: customer, kind: 'customer', tenantId: tenant, scopes: ['accounts:read', 'accounts:write'], stepUpPolicy: policy, stepUpAt: nowSeconds() }) as Identity,
    client: { subject: uuidv7(), kind: 'api_client', tenantId: tenant, scopes: ['accounts:write', 'sandbox:fund'] } as Identity,
    operator: { subject: 'ops-money', kind: 'operator', tenantId: null, scopes: [] } as Identity,
  };
  const gql = <T = Record<string, unknown>>(identity: Identity, query: string, variables: Record<string, unknown>) => call<T>(identity, query, variables);
  async function ok<T>(identity: Identity, query: string, variables: Record<string, unknown>): Promise<T> {
    const res = await gql<T>(identity, query, variables);
    assert.equal(res.errors, undefined, JSON.stringify(res.errors));
    return res.data!;
  }
  async function open(currency: string): Promise<string> {
    const id = uuidv7();
    await ok(who.customer, OPEN, { input: { id, currency } });
    return id;
  }
  async function setLimits(perTransaction: string) {
    await ok(who.operator, SETTINGS, {
      input: { tenantId: tenant, currencies: ['BRL', 'USD'], perTransaction: [{ currency: 'BRL', amount: perTransaction }, { currency: 'USD', amount: perTransaction }] },
    });
  }
  async function posted(id: string): Promise<bigint> {
    const data = await ok<{ account: { balance: { posted: { minorUnits: string } } } }>(who.customer, BALANCE, { id });
    return BigInt(data.account.balance.posted.minorUnits);
  }
  const count = async (table: string, id: string) => Number((await sql.query(`select count(*)::int as n from accounts.${table} where id = $1`, [id])).rows[0].n);
  return {
    db, sql, platform, tenant, customer, who, gql, ok, open, setLimits, posted, count,
    async stop() {
      await platform.stop();
      await sql.end();
      await db.drop();
    },
  };
}

describe('accounts money: one policy path, one amount grammar, account states, statements (issue 10 items 3, 17, 18)', () => {
  let w: Awaited<ReturnType<typeof world>>;
  const acct = { brl: '', brl2: '', usd: '' };

  before(async () => {
    w = await world();
    acct.brl = await w.open('BRL');
    acct.brl2 = await w.open('BRL');
    acct.usd = await w.open('USD');
    const funded = await w.ok<{ fundSandboxAccount: Saga }>(w.who.operator, FUND, { input: { id: uuidv7(), accountId: acct.brl, amount: '10000000' } });
    assert.equal(funded.fundSandboxAccount.status, 'POSTED');
    await w.setLimits('1000');
  });
  after(async () => {
    await w?.stop();
  });

  describe('item 3: FX passes the same step-up, limits and risk as a transfer', () => {
    it('the attack: transfer(50000) is refused, and so are quoteFx(500000) and its execution; nothing moves', async () => {
      const transfer = await w.gql(w.who.customer, TRANSFER, { input: { id: uuidv7(), fromAccountId: acct.brl, toAccountId: acct.brl2, amount: '50000' } });
      assert.equal(code(transfer), 'STEP_UP_REQUIRED');
      const before = await w.posted(acct.brl);

      const quoteId = uuidv7();
      const quote = await w.gql(w.who.customer, QUOTE, { input: { id: quoteId, fromAccountId: acct.brl, toAccountId: acct.usd, sellAmount: '500000' } });
      assert.equal(code(quote), 'STEP_UP_REQUIRED', JSON.stringify(quote));
      assert.equal(await w.count('fx_quote', quoteId), 0, 'no quote stored');

      // With a fresh step-up the per-transaction limit (1000) refuses it, with the transfer's code.
      const stepped = await w.gql(w.who.steppedUp(), QUOTE, { input: { id: quoteId, fromAccountId: acct.brl, toAccountId: acct.usd, sellAmount: '500000' } });
      assert.equal(code(stepped), 'LIMIT_EXCEEDED', JSON.stringify(stepped));
      assert.equal(await w.count('fx_quote', quoteId), 0);
      // A buy amount that prices above the limit is refused the same way.
      const bought = await w.gql(w.who.steppedUp(), QUOTE, { input: { id: uuidv7(), fromAccountId: acct.brl, toAccountId: acct.usd, buyAmount: '50000' } });
      assert.equal(code(bought), 'LIMIT_EXCEEDED');
      const transferStepped = await w.ok<{ transfer: Saga }>(w.who.steppedUp(), TRANSFER, { input: { id: uuidv7(), fromAccountId: acct.brl, toAccountId: acct.brl2, amount: '50000' } });
      assert.deepEqual([transferStepped.transfer.status, transferStepped.transfer.failureCode], ['VOIDED', 'LIMIT_EXCEEDED']);
      assert.equal(await w.posted(acct.brl), before);
    });

    it('execution asks step-up again on the session that executes, and the limits again at that time', async () => {
      const q = await w.ok<{ quoteFx: { id: string } }>(w.who.steppedUp(), QUOTE, { input: { id: uuidv7(), fromAccountId: acct.brl, toAccountId: acct.usd, sellAmount: '900' } });
      const before = await w.posted(acct.brl);
      const phished = await w.gql(w.who.customer, EXECUTE, { id: uuidv7(), quoteId: q.quoteFx.id });
      assert.equal(code(phished), 'STEP_UP_REQUIRED');

      // The tenant lowers its limit after the quote: execution is refused (FAILED, LIMIT_EXCEEDED), nothing moves,
      // and the quote is given back.
      await w.setLimits('500');
      try {
        const execId = uuidv7();
        const refused = await w.ok<{ executeFxQuote: Saga }>(w.who.steppedUp(), EXECUTE, { id: execId, quoteId: q.quoteFx.id });
        assert.deepEqual(refused.executeFxQuote, { id: execId, status: 'FAILED', failureCode: 'LIMIT_EXCEEDED' });
        assert.equal(await w.posted(acct.brl), before);
        assert.equal(await w.posted(acct.usd), 0n);
      } finally {
        await w.setLimits('1000');
      }
      const execId = uuidv7();
      const done = await w.ok<{ executeFxQuote: Saga }>(w.who.steppedUp(), EXECUTE, { id: execId, quoteId: q.quoteFx.id });
      assert.deepEqual(done.executeFxQuote, { id: execId, status: 'POSTED', failureCode: null });
      assert.equal(await w.posted(acct.brl), before - 900n);
    });

    it('an API client (no step-up policy) is held to the same limits for FX as for transfers', async () => {
      const quote = await w.gql(w.who.client, QUOTE, { input: { id: uuidv7(), fromAccountId: acct.brl, toAccountId: acct.usd, sellAmount: '1001' } });
      assert.equal(code(quote), 'LIMIT_EXCEEDED');
      const transfer = await w.ok<{ transfer: Saga }>(w.who.client, TRANSFER, { input: { id: uuidv7(), fromAccountId: acct.brl, toAccountId: acct.brl2, amount: '1001' } });
      assert.equal(transfer.transfer.failureCode, 'LIMIT_EXCEEDED');
    });
  });

  describe('item 3: an amount outside 1..2^63-1 is BAD_USER_INPUT on every input, never an internal error', () => {
    it('quoteFx sell and buy amounts, transfer, fundSandboxAccount and limits', async () => {
      for (const amount of OUT_OF_RANGE) {
        const cases: [Identity, string, Record<string, unknown>][] = [
          [w.who.steppedUp(), QUOTE, { input: { id: uuidv7(), fromAccountId: acct.brl, toAccountId: acct.usd, sellAmount: amount } }],
          [w.who.steppedUp(), QUOTE, { input: { id: uuidv7(), fromAccountId: acct.brl, toAccountId: acct.usd, buyAmount: amount } }],
          [w.who.steppedUp(), TRANSFER, { input: { id: uuidv7(), fromAccountId: acct.brl, toAccountId: acct.brl2, amount } }],
          [w.who.operator, FUND, { input: { id: uuidv7(), accountId: acct.brl, amount } }],
          [w.who.operator, SETTINGS, { input: { tenantId: w.tenant, currencies: ['BRL', 'USD'], perTransaction: [{ currency: 'BRL', amount }] } }],
        ];
        for (const [identity, query, variables] of cases) {
          const res = await w.gql(identity, query, variables);
          assert.equal(code(res), 'BAD_USER_INPUT', `${JSON.stringify(amount)} in ${query.slice(0, 30)}: ${JSON.stringify(res)}`);
        }
      }
    });

    it('a buy amount that would need a sell amount beyond 64 bits, and a statement cursor beyond 64 bits', async () => {
      const res = await w.gql(w.who.client, QUOTE, { input: { id: uuidv7(), fromAccountId: acct.brl, toAccountId: acct.usd, buyAmount: '9223372036854775807' } });
      assert.equal(code(res), 'BAD_USER_INPUT', JSON.stringify(res));
      const page = await w.gql(w.who.customer, STATEMENT, { id: acct.brl, after: '99999999999999999999' });
      assert.equal(code(page), 'BAD_USER_INPUT', JSON.stringify(page));
    });
  });

  describe('item 18: every account-state refusal has its own code, in every direction, for transfers and FX', () => {
    it('CLOSED and FROZEN, from and to', async () => {
      const closedBrl = await w.open('BRL');
      const closedUsd = await w.open('USD');
      const frozenBrl = await w.open('BRL');
      for (const id of [closedBrl, closedUsd]) assert.equal((await w.ok<{ closeAccount: { status: string } }>(w.who.client, CLOSE, { id })).closeAccount.status, 'CLOSED');
      await w.ok(w.who.operator, FUND, { input: { id: uuidv7(), accountId: frozenBrl, amount: '500' } });
      await w.ok(w.who.client, FREEZE, { id: frozenBrl });

      const transfer = async (from: string, to: string) =>
        (await w.ok<{ transfer: Saga }>(w.who.client, TRANSFER, { input: { id: uuidv7(), fromAccountId: from, toAccountId: to, amount: '10' } })).transfer;
      assert.equal((await transfer(closedBrl, acct.brl2)).failureCode, 'ACCOUNT_CLOSED', 'out of a closed account (was ACCOUNT_FROZEN)');
      assert.equal((await transfer(acct.brl, closedBrl)).failureCode, 'ACCOUNT_CLOSED', 'into a closed account');
      assert.equal((await transfer(frozenBrl, acct.brl2)).failureCode, 'ACCOUNT_FROZEN', 'out of a frozen account');
      assert.equal((await transfer(acct.brl, frozenBrl)).status, 'POSTED', 'a frozen account still accepts credits');

      const quote = (from: string, to: string) => w.gql(w.who.client, QUOTE, { input: { id: uuidv7(), fromAccountId: from, toAccountId: to, sellAmount: '10' } });
      assert.equal(code(await quote(closedBrl, acct.usd)), 'ACCOUNT_CLOSED');
      assert.equal(code(await quote(acct.brl, closedUsd)), 'ACCOUNT_CLOSED');
      assert.equal(code(await quote(frozenBrl, acct.usd)), 'ACCOUNT_FROZEN');
      assert.equal(code(await quote(acct.usd, frozenBrl)), undefined, 'FX into a frozen account is a credit: allowed');
    });
  });

  describe("item 17: a statement line carries the client's transfer id, the ledger's id and the client's description", () => {
    it('for a transfer, an FX conversion and sandbox funding, on both sides', async () => {
      const transferId = uuidv7();
      await w.ok(w.who.client, TRANSFER, { input: { id: transferId, fromAccountId: acct.brl, toAccountId: acct.brl2, amount: '77', description: 'Aluguel dezembro' } });
      type Line = { transferId: string; ledgerTransferId: string; accountTransferId: string | null; description: string; amount: { minorUnits: string } };
      const lines = async (id: string) => (await w.ok<{ account: { statement: { entries: Line[] } } }>(w.who.customer, STATEMENT, { id })).account.statement.entries;
      for (const [account, amount] of [[acct.brl, '-77'], [acct.brl2, '77']] as const) {
        const line = (await lines(account)).find((l) => l.accountTransferId === transferId);
        assert.ok(line, `the client's id is on the ${account} line`);
        assert.equal(line.description, 'Aluguel dezembro');
        assert.equal(line.amount.minorUnits, amount);
        assert.equal(line.ledgerTransferId, line.transferId);
        // The ledger id is the one the ledger answers for (and proves inclusion of).
        const ledger = await w.ok<{ transfer: { id: string } | null }>(w.who.customer, LEDGER_TRANSFER, { id: line.ledgerTransferId });
        assert.equal(ledger.transfer?.id, line.ledgerTransferId);
      }
      // The CSV export carries the client's id too (last column).
      const csv = (await w.ok<{ account: { statementCsv: string } }>(w.who.customer, `query C($id: ID!) { account(id: $id) { statementCsv } }`, { id: acct.brl2 })).account.statementCsv;
      const header = csv.split('\r\n')[0]!;
      assert.equal(header, 'date,id,description,amount,balance,currency,accountTransferId');
      assert.ok(csv.split('\r\n').some((l) => l.endsWith(`,BRL,${transferId}`) && l.includes(',Aluguel dezembro,')), csv);
      const q = await w.ok<{ quoteFx: { id: string } }>(w.who.steppedUp(), QUOTE, { input: { id: uuidv7(), fromAccountId: acct.brl, toAccountId: acct.usd, sellAmount: '300' } });
      const execId = uuidv7();
      await w.ok(w.who.steppedUp(), EXECUTE, { id: execId, quoteId: q.quoteFx.id });
      const fx = (await lines(acct.usd)).find((l) => l.accountTransferId === execId);
      assert.equal(fx?.description, 'FX BRL→USD');
      const fundingId = uuidv7();
      await w.ok(w.who.operator, FUND, { input: { id: fundingId, accountId: acct.brl2, amount: '5' } });
      const funding = (await lines(acct.brl2)).find((l) => l.accountTransferId === fundingId);
      assert.equal(funding?.description, 'Sandbox funding');
    });
  });
});

describe('item 20: a client can wait for the outcome of a transfer in flight (waitMs)', () => {
  let w: Awaited<ReturnType<typeof world>>;
  before(async () => {
    // Each saga step waits 1.5 s (a test hook), so a repeat surely finds the first request's saga in flight.
    w = await world({ SAGA_STEP_DELAY_MS: '1500' });
  });
  after(async () => {
    await w?.stop();
  });

  it('a repeat without waitMs answers where the saga is; with waitMs it answers the final status', async () => {
    const from = await w.open('BRL');
    const to = await w.open('BRL');
    await w.ok(w.who.operator, FUND, { input: { id: uuidv7(), accountId: from, amount: '1000' } });
    const input = { id: uuidv7(), fromAccountId: from, toAccountId: to, amount: '50' };
    const first = w.ok<{ transfer: Saga }>(w.who.client, TRANSFER, { input });
    // Wait (bounded) until the first request has held the money, then repeat it twice.
    for (let i = 0; i < 200; i++) {
      const row = await w.sql.query(`select state from accounts.transfer_saga where id = $1`, [input.id]);
      if (row.rows[0]?.state === 'HELD') break;
      await new Promise((resolve) => setTimeout(resolve, 25));
    }
    const [now, waited] = await Promise.all([
      w.ok<{ transfer: Saga }>(w.who.client, TRANSFER, { input }),
      w.ok<{ transfer: Saga }>(w.who.client, TRANSFER, { input, waitMs: 10_000 }),
    ]);
    assert.ok(['PENDING', 'HELD'].includes(now.transfer.status), `without waitMs: the current status (${now.transfer.status})`);
    assert.equal(waited.transfer.status, 'POSTED');
    assert.equal((await first).transfer.status, 'POSTED');
    assert.equal(await w.posted(to), 50n);
  });

  it('waitMs is bounded: 0..10000, else BAD_USER_INPUT', async () => {
    const from = await w.open('BRL');
    const to = await w.open('BRL');
    for (const waitMs of [-1, 10_001, 3_600_000]) {
      const res = await w.gql(w.who.client, TRANSFER, { input: { id: uuidv7(), fromAccountId: from, toAccountId: to, amount: '1' }, waitMs });
      assert.equal(code(res), 'BAD_USER_INPUT', JSON.stringify(res));
      const fx = await w.gql(w.who.client, EXECUTE, { id: uuidv7(), quoteId: uuidv7(), waitMs });
      assert.equal(code(fx), 'BAD_USER_INPUT');
    }
  });
});
