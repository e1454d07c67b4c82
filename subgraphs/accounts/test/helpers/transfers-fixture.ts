// Shared set-up of the transfer tests (no tests of its own; named *.test.ts to stay within the files this work may touch).
import { parse } from 'graphql';
import pg from 'pg';
import { uuidv7 } from '@baas/db';
import { graphqlRequest } from '@baas/sdk';
import assert from 'node:assert/strict';
import { createTestDatabase, eventually } from '@baas/testing';
import { startPlatform, type TestPlatform } from '@baas/test-platform';

export type World = {
  db: Awaited<ReturnType<typeof createTestDatabase>>;
  platform: TestPlatform;
  sql: pg.Client;
  tenant: string;
  operator: string;
  backend: string;
  gql<T = Record<string, unknown>>(query: string, variables: Record<string, unknown>, token: string): Promise<{ data?: T | null; errors?: readonly { message: string; extensions?: Record<string, unknown> }[] }>;
  newCustomer(): Promise<{ id: string; token: string }>;
  openAccount(customer: { id: string; token: string }, currency?: string): Promise<string>;
  fund(accountId: string, amount: string): Promise<void>;
  balance(accountId: string): Promise<{ posted: bigint; available: bigint; pendingDebits: bigint }>;
  stop(): Promise<void>;
};

export const TRANSFER = `mutation T($input: AccountTransferInput!) { transfer(input: $input) { id status failureCode amount { minorUnits currency } createdAt } }`;
export type TransferResult = { transfer: { id: string; status: string; failureCode: string | null; amount: { minorUnits: string; currency: string }; createdAt: string } };

export async function createWorld(env: Record<string, string>, opts: { processes?: string[] } = {}): Promise<World> {
  const db = await createTestDatabase();
  const sql = new pg.Client({ connectionString: db.url });
  await sql.connect();
  const tenant = uuidv7();
  await sql.query(`insert into identity.tenant (id, slug, name) values ($1, $2, 'T')`, [tenant, `t-${tenant.slice(-8)}`]);
  const platform = await startPlatform({ databaseUrl: db.url, env, gatewayEnv: { RATE_LIMIT_MAX: '100000', MAX_ALIASES: '300' }, ...(opts.processes ? { processes: opts.processes } : {}) });
  const operator = await platform.mintToken({ subject: uuidv7(), kind: 'operator', tenantId: null, scopes: [] });
  const backend = await platform.mintToken({ subject: uuidv7(), kind: 'api_client', tenantId: tenant, scopes: ['accounts:write', 'sandbox:fund'] });
  const gql: World['gql'] = (query, variables, token) =>
    graphqlRequest({ url: platform.gatewayUrl, document: parse(query), variables, token }) as never;
  const world: World = {
    db,
    platform,
    sql,
    tenant,
    operator,
    backend,
    gql,
    async newCustomer() {
      const id = uuidv7();
      await sql.query(`insert into identity.customer (id, tenant_id, kind, display_name) values ($1, $2, 'PERSON', 'C')`, [id, tenant]);
      const token = await platform.mintToken({ subject: id, kind: 'customer', tenantId: tenant, scopes: [] });
      return { id, token };
    },
    async openAccount(customer, currency = 'BRL') {
      const r = await gql<{ openAccount: { account: { id: string } } }>(
        `mutation O($input: OpenAccountInput!) { openAccount(input: $input) { account { id } } }`,
        { input: { id: uuidv7(), currency } },
        customer.token,
      );
      if (r.errors) throw new Error(JSON.stringify(r.errors));
      return r.data!.openAccount.account.id;
    },
    async fund(accountId, amount) {
      const r = await gql<{ fundSandboxAccount: { status: string } }>(
        `mutation F($input: FundSandboxAccountInput!) { fundSandboxAccount(input: $input) { status } }`,
        { input: { id: uuidv7(), accountId, amount } },
        backend,
      );
      if (r.errors || r.data?.fundSandboxAccount.status !== 'POSTED') throw new Error(JSON.stringify(r));
    },
    async balance(accountId) {
      const r = await gql<{ account: { balance: { posted: { minorUnits: string }; available: { minorUnits: string }; pendingDebits: { minorUnits: string } } } }>(
        `query B($id: ID!) { account(id: $id) { balance { posted { minorUnits } available { minorUnits } pendingDebits { minorUnits } } } }`,
        { id: accountId },
        backend,
      );
      if (r.errors) throw new Error(JSON.stringify(r.errors));
      const b = r.data!.account.balance;
      return { posted: BigInt(b.posted.minorUnits), available: BigInt(b.available.minorUnits), pendingDebits: BigInt(b.pendingDebits.minorUnits) };
    },
    async stop() {
      await platform.stop().catch(() => undefined);
      await sql.end().catch(() => undefined);
      await db.drop();
    },
  };
  return world;
}

/** A saga's state and step as stored. */
export async function sagaState(w: World, id: string): Promise<{ state: string; step: string | null } | undefined> {
  return (await w.sql.query<{ state: string; step: string | null }>('select state, step from accounts.transfer_saga where id = $1', [id])).rows[0];
}

/**
 * Waits for an interrupted transfer of `amount` from `from` (funded with `funded`, nothing else) to
 * `to` to end POSTED or VOIDED, and checks both balances are exact for that outcome. Returns it.
 */
export async function settledTransfer(w: World, id: string, from: string, to: string, funded: bigint, amount: bigint): Promise<string> {
  const final = await eventually(
    async () => {
      const s = await sagaState(w, id);
      assert.ok(s && (s.state === 'POSTED' || s.state === 'VOIDED'), `still ${s?.state}/${s?.step}`);
      return s.state;
    },
    { attempts: 150, delayMs: 200 },
  );
  const moved = final === 'POSTED' ? amount : 0n;
  const fa = await eventually(() => w.balance(from), { attempts: 50, delayMs: 200 });
  assert.deepEqual(fa, { posted: funded - moved, available: funded - moved, pendingDebits: 0n });
  assert.equal((await w.balance(to)).posted, moved);
  return final;
}

/** Crash tests' settings: a 1.5 s pause between saga steps (time to interrupt), short leases, frequent recovery. */
export const CRASH_ENV = { SAGA_STEP_DELAY_MS: '1500', SAGA_LEASE_SECONDS: '3', SAGA_RECOVERY_INTERVAL_MS: '200' };

/**
 * Funds a new customer's account with 1000, starts a transfer of 300 to another customer's account
 * without waiting for it, and returns once its saga is HELD (the hold is in the ledger).
 */
export async function startHeldTransfer(w: World) {
  const c = await w.newCustomer();
  const d = await w.newCustomer();
  const from = await w.openAccount(c);
  const to = await w.openAccount(d);
  await w.fund(from, '1000');
  const input = { id: uuidv7(), fromAccountId: from, toAccountId: to, amount: '300' };
  const inFlight = w.gql<TransferResult>(TRANSFER, { input }, c.token).catch((error: unknown) => ({ errors: [{ message: String(error) }], data: null }));
  await eventually(async () => assert.equal((await sagaState(w, input.id))?.state, 'HELD'), { attempts: 100, delayMs: 50 });
  return { id: input.id, from, to, input, inFlight, customer: c };
}
