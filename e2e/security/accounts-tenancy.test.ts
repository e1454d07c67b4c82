import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import pg from 'pg';
import type { Identity } from '@baas/auth';
import { uuidv7 } from '@baas/db';
import { derivedUuid } from '@baas/server';
import { createGatewayCaller, createTestDatabase, eventually, type GqlResult, type TestDatabase } from '@baas/testing';
import { startPlatform, type TestPlatform } from '@baas/test-platform';

/**
 * Issue 10, items 1, 2 and 4 and unknown tenants in accounts, replayed through the gateway as the
 * outside tester did: who an account may belong to (identity says, not the id a client sends), whose
 * ids are whose (no client id can claim a platform ledger account), and who gets play money (an
 * ACTIVE tenant in sandbox mode only). Every refusal writes nothing.
 */

type Gql<T = Record<string, unknown>> = GqlResult<T>;

const OPEN = `mutation O($input: OpenAccountInput!) { openAccount(input: $input) { status account { id customer { id } } } }`;
const FUND = `mutation F($input: FundSandboxAccountInput!) { fundSandboxAccount(input: $input) { id status } }`;
const SET_SETTINGS = `mutation S($input: TenantAccountSettingsInput!) { setTenantAccountSettings(input: $input) { tenantId currencies } }`;
const READ_SETTINGS = `query R($t: ID) { tenantAccountSettings(tenantId: $t) { tenantId currencies } }`;

const code = (res: Gql<unknown>) => res.errors?.[0]?.extensions?.code;
const reason = (res: Gql<unknown>) => res.errors?.[0]?.extensions?.details?.reason;

describe('accounts tenancy: owners, ids and play money (issue 10 items 1, 2, 4)', () => {
  let db: TestDatabase;
  let platform: TestPlatform;
  let sql: pg.Pool;
  const tenants = { A: uuidv7(), B: uuidv7(), live: uuidv7(), suspended: uuidv7() };
  const customers = { A1: uuidv7(), A2: uuidv7(), closedA: uuidv7(), suspendedA: uuidv7(), B1: uuidv7(), L1: uuidv7(), S1: uuidv7(), late: uuidv7() };
  const accounts = { S1: uuidv7(), S1b: uuidv7(), suspendedA: uuidv7(), suspendedAb: uuidv7() };
  const scopes = ['accounts:write', 'sandbox:fund'];
  const who = {
    clientA: { subject: uuidv7(), kind: 'api_client', tenantId: tenants.A, scopes },
    clientB: { subject: uuidv7(), kind: 'api_client', tenantId: tenants.B, scopes },
    clientLive: { subject: uuidv7(), kind: 'api_client', tenantId: tenants.live, scopes },
    S1: { subject: customers.S1, kind: 'customer', tenantId: tenants.suspended, scopes: ['accounts:read', 'accounts:write'] },
    operator: { subject: 'ops-tenancy', kind: 'operator', tenantId: null, scopes: [] },
  } satisfies Record<string, Identity>;

  /** A request through the gateway; a hung one fails the test (30 s abort), nothing is timed. */
  let caller: ReturnType<typeof createGatewayCaller> | undefined;
  const gateway = <T = Record<string, unknown>>(identity: Identity, query: string, variables: Record<string, unknown>) => (caller ??= createGatewayCaller(platform))<T>(identity, query, variables);
  const rows = async (text: string, params: unknown[]) => (await sql.query(text, params)).rows;
  const accountRows = (id: string) => rows('select id from accounts.account where id = $1', [id]);
  const sagaRows = (id: string) => rows('select id from accounts.transfer_saga where id = $1', [id]);

  before(async () => {
    db = await createTestDatabase();
    sql = new pg.Pool({ connectionString: db.url, max: 2 });
    await sql.query(
      `insert into identity.tenant (id, slug, name, sandbox) values ($1, $2, 'A', true), ($3, $4, 'B', true), ($5, $6, 'Live', false), ($7, $8, 'Suspended', true)`,
      [tenants.A, `a-${tenants.A}`, tenants.B, `b-${tenants.B}`, tenants.live, `l-${tenants.live}`, tenants.suspended, `s-${tenants.suspended}`],
    );
    await sql.query(`update identity.tenant set status = 'SUSPENDED' where id = $1`, [tenants.suspended]);
    const people: [string, string, string][] = [
      [customers.A1, tenants.A, 'ACTIVE'],
      [customers.A2, tenants.A, 'ACTIVE'],
      [customers.closedA, tenants.A, 'CLOSED'],
      [customers.suspendedA, tenants.A, 'SUSPENDED'],
      [customers.B1, tenants.B, 'ACTIVE'],
      [customers.L1, tenants.live, 'ACTIVE'],
      [customers.S1, tenants.suspended, 'ACTIVE'],
      [customers.late, tenants.A, 'ACTIVE'],
    ];
    for (const [id, tenant, status] of people) {
      await sql.query(`insert into identity.customer (id, tenant_id, kind, display_name, status) values ($1, $2, 'PERSON', 'P', $3)`, [id, tenant, status]);
    }
    // An account of the suspended tenant's customer, opened while the tenant was active.
    // And accounts of a customer of tenant A suspended since (identity's status, not accounts').
    const opened: [string, string, string, string][] = [
      [accounts.S1, tenants.suspended, customers.S1, '90000001'],
      [accounts.S1b, tenants.suspended, customers.S1, '90000002'],
      [accounts.suspendedA, tenants.A, customers.suspendedA, '90000003'],
      [accounts.suspendedAb, tenants.A, customers.suspendedA, '90000004'],
    ];
    for (const [id, tenant, customer, number] of opened) {
      await sql.query(
        `insert into accounts.account (id, tenant_id, customer_id, currency, branch, number, check_digit, status) values ($1, $2, $3, 'BRL', '0001', $4, '0', 'ACTIVE')`,
        [id, tenant, customer, number],
      );
    }
    platform = await startPlatform({ databaseUrl: db.url, gatewayEnv: { RATE_LIMIT_MAX: '100000' } });
  });
  after(async () => {
    await platform?.stop();
    await sql?.end();
    await db?.drop();
  });

  describe('item 1: an account belongs to an active customer of the caller\'s tenant, as identity says', () => {
    it("tenant B's client cannot open an account for tenant A's customer: NOT_FOUND, nothing written", async () => {
      const id = uuidv7();
      const res = await gateway(who.clientB, OPEN, { input: { id, customerId: customers.A1, currency: 'BRL' } });
      assert.equal(code(res), 'NOT_FOUND', JSON.stringify(res));
      assert.deepEqual(await accountRows(id), []);
      const mine = await rows('select id from accounts.account where customer_id = $1', [customers.A1]);
      assert.deepEqual(mine, [], "nothing shows under tenant A's customer");
    });

    it('no account for a customer that does not exist, a malformed id, or a closed customer: the same NOT_FOUND', async () => {
      for (const customerId of [uuidv7(), 'not-a-uuid', customers.closedA]) {
        const id = uuidv7();
        const res = await gateway(who.clientA, OPEN, { input: { id, customerId, currency: 'BRL' } });
        assert.equal(code(res), 'NOT_FOUND', `${customerId}: ${JSON.stringify(res)}`);
        assert.equal(res.errors?.[0]?.message, 'Customer not found.', 'the answer does not say which case it was');
        assert.deepEqual(await accountRows(id), []);
        // And so nothing to fund either.
        const funded = await gateway(who.clientA, FUND, { input: { id: uuidv7(), accountId: id, amount: '100' } });
        assert.ok(funded.errors?.length, JSON.stringify(funded));
      }
    });

    it("a suspended tenant's customer cannot open an account", async () => {
      const id = uuidv7();
      const res = await gateway(who.S1, OPEN, { input: { id, currency: 'BRL' } });
      assert.ok(['NOT_FOUND', 'FORBIDDEN', 'UNAUTHENTICATED'].includes(code(res) ?? ''), JSON.stringify(res));
      assert.deepEqual(await accountRows(id), []);
    });

    it('no money leaves for a suspended customer or a suspended tenant, even with a token issued before (the outflow policy asks identity)', async () => {
      const TRANSFER = `mutation T($input: AccountTransferInput!) { transfer(input: $input) { id status } }`;
      const QUOTE = `mutation Q($input: FxQuoteInput!) { quoteFx(input: $input) { id } }`;
      const cases = [
        { caller: who.S1, from: accounts.S1, to: accounts.S1b, why: 'TENANT_NOT_ACTIVE' },
        { caller: who.clientA, from: accounts.suspendedA, to: accounts.suspendedAb, why: 'CUSTOMER_NOT_ACTIVE' },
      ];
      for (const { caller, from, to, why } of cases) {
        const id = uuidv7();
        const res = await gateway(caller, TRANSFER, { input: { id, fromAccountId: from, toAccountId: to, amount: '1' } });
        assert.equal(code(res), 'FORBIDDEN', JSON.stringify(res));
        assert.equal(reason(res), why, JSON.stringify(res));
        assert.deepEqual(await sagaRows(id), [], 'no saga written');
        const quote = await gateway(caller, QUOTE, { input: { id: uuidv7(), fromAccountId: from, toAccountId: to, sellAmount: '1' } });
        assert.ok(quote.errors?.length, JSON.stringify(quote));
      }
    });

    it("the positive control: tenant A's client opens for its own active customer", async () => {
      const id = uuidv7();
      const res = await gateway<{ openAccount: { status: string; account: { customer: { id: string } } } }>(who.clientA, OPEN, { input: { id, customerId: customers.A2, currency: 'BRL' } });
      assert.equal(res.data?.openAccount.status, 'CREATED', JSON.stringify(res));
      assert.equal(res.data?.openAccount.account.customer.id, customers.A2);
    });
  });

  describe('item 2: client ids can never claim a platform ledger account', () => {
    it("another tenant's sandbox-funding id and an FX liquidity id are refused as account ids; nothing written", async () => {
      const squats = [derivedUuid(`sandbox-funding:${tenants.B}:BRL`), derivedUuid('fx-liquidity:USD'), derivedUuid('fx-liquidity:BRL'), derivedUuid(`anything:${uuidv7()}`)];
      for (const id of squats) {
        const res = await gateway(who.clientA, OPEN, { input: { id, customerId: customers.A2, currency: 'BRL' } });
        assert.equal(code(res), 'BAD_USER_INPUT', JSON.stringify(res));
        assert.equal(reason(res), 'RESERVED_ID');
        assert.deepEqual(await accountRows(id), []);
        assert.deepEqual(await rows('select id from ledger.ledger_account where id = $1 and code = 100', [id]), []);
      }
    });

    it('the FX liquidity accounts are claimed by the platform at start', async () => {
      await eventually(async () => {
        const liquidity = await rows('select id, currency from ledger.ledger_account where code = 910 and tenant_id is null order by currency', []);
        assert.deepEqual(liquidity.map((r) => r.id), ['BRL', 'EUR', 'USD'].map((c) => derivedUuid(`fx-liquidity:${c}`)));
      });
    });

    it("tenant B's sandbox funding still works after the attempts", async () => {
      const accountId = uuidv7();
      const opened = await gateway(who.clientB, OPEN, { input: { id: accountId, customerId: customers.B1, currency: 'BRL' } });
      assert.equal(code(opened), undefined, JSON.stringify(opened));
      const funded = await gateway<{ fundSandboxAccount: { status: string } }>(who.clientB, FUND, { input: { id: uuidv7(), accountId, amount: '5000' } });
      assert.equal(funded.data?.fundSandboxAccount.status, 'POSTED', JSON.stringify(funded));
    });
  });

  describe('item 4: play money only for an active tenant in sandbox mode', () => {
    it("a live tenant's client and an operator get no play money for a live tenant's account; nothing written", async () => {
      const accountId = uuidv7();
      const opened = await gateway(who.clientLive, OPEN, { input: { id: accountId, customerId: customers.L1, currency: 'BRL' } });
      assert.equal(code(opened), undefined, JSON.stringify(opened));
      for (const caller of [who.clientLive, who.operator]) {
        const id = uuidv7();
        const res = await gateway(caller, FUND, { input: { id, accountId, amount: '100000' } });
        assert.equal(code(res), 'FORBIDDEN', JSON.stringify(res));
        assert.equal(reason(res), 'TENANT_NOT_SANDBOX');
        assert.deepEqual(await sagaRows(id), []);
      }
      assert.deepEqual(await rows('select id from ledger.transfer where credit_account_id = $1', [accountId]), []);
    });

    it("a suspended tenant's account gets no play money, even from an operator", async () => {
      const id = uuidv7();
      const res = await gateway(who.operator, FUND, { input: { id, accountId: accounts.S1, amount: '100000' } });
      assert.equal(code(res), 'FORBIDDEN', JSON.stringify(res));
      assert.equal(reason(res), 'TENANT_NOT_ACTIVE');
      assert.deepEqual(await sagaRows(id), []);
    });

    it("a sandbox tenant's client funds its customer's account (positive control); another tenant's client cannot", async () => {
      const accountId = uuidv7();
      await gateway(who.clientA, OPEN, { input: { id: accountId, customerId: customers.A1, currency: 'BRL' } });
      const stranger = uuidv7();
      const denied = await gateway(who.clientB, FUND, { input: { id: stranger, accountId, amount: '100' } });
      assert.equal(code(denied), 'FORBIDDEN', JSON.stringify(denied));
      assert.deepEqual(await sagaRows(stranger), []);
      const funded = await gateway<{ fundSandboxAccount: { status: string } }>(who.clientA, FUND, { input: { id: uuidv7(), accountId, amount: '100' } });
      assert.equal(funded.data?.fundSandboxAccount.status, 'POSTED', JSON.stringify(funded));
    });
  });

  describe('unknown tenants in accounts', () => {
    it('setTenantAccountSettings and tenantAccountSettings answer NOT_FOUND for an unknown or malformed tenant; nothing written', async () => {
      for (const tenantId of [uuidv7(), 'not-a-uuid']) {
        const set = await gateway(who.operator, SET_SETTINGS, { input: { tenantId, currencies: ['BRL'] } });
        assert.equal(code(set), 'NOT_FOUND', JSON.stringify(set));
        const read = await gateway(who.operator, READ_SETTINGS, { t: tenantId });
        assert.equal(code(read), 'NOT_FOUND', JSON.stringify(read));
      }
      assert.deepEqual(await rows('select tenant_id from accounts.tenant_settings', []), []);
      const known = await gateway<{ setTenantAccountSettings: { tenantId: string } }>(who.operator, SET_SETTINGS, { input: { tenantId: tenants.B, currencies: ['BRL', 'USD'] } });
      assert.equal(known.data?.setTenantAccountSettings.tenantId, tenants.B, JSON.stringify(known));
    });
  });

  describe('identity unreachable', () => {
    it('opening answers SUBGRAPH_UNAVAILABLE (retryable), never an account', async () => {
      await platform.stopSubgraph('identity');
      const id = uuidv7();
      const res = await gateway(who.clientA, OPEN, { input: { id, customerId: customers.late, currency: 'BRL' } });
      assert.equal(code(res), 'SUBGRAPH_UNAVAILABLE', JSON.stringify(res));
      assert.deepEqual(await accountRows(id), []);
    });
  });
});

describe('item 4: a deployment that does not allow play money (SANDBOX=false, as production is by default)', () => {
  let db: TestDatabase;
  let platform: TestPlatform;
  let sql: pg.Pool;
  const tenant = uuidv7();
  const customer = uuidv7();

  before(async () => {
    db = await createTestDatabase();
    sql = new pg.Pool({ connectionString: db.url, max: 1 });
    await sql.query(`insert into identity.tenant (id, slug, name, sandbox) values ($1, $2, 'Sandbox tenant', true)`, [tenant, `sb-${tenant}`]);
    await sql.query(`insert into identity.customer (id, tenant_id, kind, display_name) values ($1, $2, 'PERSON', 'P')`, [customer, tenant]);
    platform = await startPlatform({ databaseUrl: db.url, env: { SANDBOX: 'false' } });
  });
  after(async () => {
    await platform?.stop();
    await sql?.end();
    await db?.drop();
  });

  it("even a sandbox tenant's client gets no play money: FORBIDDEN, nothing written", async () => {
    const client: Identity = { subject: uuidv7(), kind: 'api_client', tenantId: tenant, scopes: ['accounts:write', 'sandbox:fund'] };
    const gateway = createGatewayCaller(platform);
    const call = (query: string, variables: Record<string, unknown>) => gateway(client, query, variables);
    const accountId = uuidv7();
    const opened = await call(OPEN, { input: { id: accountId, customerId: customer, currency: 'BRL' } });
    assert.equal(code(opened), undefined, JSON.stringify(opened));
    const id = uuidv7();
    const res = await call(FUND, { input: { id, accountId, amount: '100000' } });
    assert.equal(code(res), 'FORBIDDEN', JSON.stringify(res));
    assert.equal(reason(res), 'DEPLOYMENT_NOT_SANDBOX');
    assert.deepEqual((await sql.query('select id from accounts.transfer_saga where id = $1', [id])).rows, []);
  });
});
