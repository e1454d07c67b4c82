import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { parse } from 'graphql';
import { uuidv7 } from '@baas/db';
import { graphqlRequest } from '@baas/sdk';
import { createTestDatabase } from '@baas/testing';
import { startPlatform, type TestPlatform } from '@baas/test-platform';

type Result = { id: string; status: string; error: string | null; transfer: { id: string } | null };
type Balance = { posted: { minorUnits: string }; available: { minorUnits: string }; debitsPosted: string; creditsPosted: string; pendingDebits: { minorUnits: string } };

/** The largest value of a ledger counter: PostgreSQL's bigint. */
const MAX = 2n ** 63n - 1n;
const OVERFLOWS = ['OVERFLOWS_DEBITS_PENDING', 'OVERFLOWS_CREDITS_PENDING', 'OVERFLOWS_DEBITS_POSTED', 'OVERFLOWS_CREDITS_POSTED', 'OVERFLOWS_DEBITS', 'OVERFLOWS_CREDITS'];

/**
 * Issue 10 item 5, through the gateway: funding an account near 2^63 used to make the batch's
 * database write fail (bigint out of range), failing every transfer that shared the batch. Now the
 * one transfer is refused with a coded result before anything is written, and the rest commit.
 */
describe('security: ledger counters near 2^63 (written as an internal service, read through the gateway); internal fields absent from the gateway', () => {
  let db: Awaited<ReturnType<typeof createTestDatabase>>;
  let platform: TestPlatform;
  let service: string;
  const tenant = uuidv7();
  const customers = { alice: uuidv7(), bob: uuidv7(), carol: uuidv7() };
  const accounts = { funding1: uuidv7(), funding2: uuidv7(), funding3: uuidv7(), funding4: uuidv7(), alice: uuidv7(), bob: uuidv7(), carol: uuidv7() };

  const gql = <T>(query: string, variables: Record<string, unknown> = {}) =>
    graphqlRequest<T, Record<string, unknown>>({ url: platform.gatewayUrl, document: parse(query), variables, token: service });
  /** The ledger's writes are @inaccessible through the gateway: an internal service calls the ledger directly. */
  const ledger = <T>(query: string, variables: Record<string, unknown> = {}) =>
    platform.callSubgraph<T>('ledger', query, variables, { subject: 'accounts-service', kind: 'service', tenantId: null, scopes: [] });
  const CREATE = `mutation Create($t: [TransferInput!]!, $linked: Boolean) {
    createTransfers(transfers: $t, linked: $linked) { id status error transfer { id } }
  }`;
  const transfer = (debit: string, credit: string, amount: bigint | string, extra: Record<string, unknown> = {}) => ({
    id: uuidv7(), debitAccountId: debit, creditAccountId: credit, amount: amount.toString(), currency: 'BRL', code: 1, ...extra,
  });
  const create = async (t: ReturnType<typeof transfer>[], linked = false) => {
    const r = await ledger<{ createTransfers: Result[] }>(CREATE, { t, linked });
    assert.equal(r.errors, undefined, JSON.stringify(r.errors));
    return r.data!.createTransfers.map((x) => (x.status === 'FAILED' ? x.error : x.status));
  };
  const balance = async (id: string) => {
    const r = await gql<{ ledgerAccount: { balance: Balance } }>(
      `query B($id: ID!) { ledgerAccount(id: $id) { balance { posted { minorUnits } available { minorUnits } debitsPosted creditsPosted pendingDebits { minorUnits } } } }`,
      { id },
    );
    assert.equal(r.errors, undefined, JSON.stringify(r.errors));
    return r.data!.ledgerAccount.balance;
  };

  before(async () => {
    db = await createTestDatabase();
    platform = await startPlatform({ databaseUrl: db.url });
    service = await platform.mintToken({ subject: 'accounts-service', kind: 'service', tenantId: null, scopes: [] });
    const created = await ledger<{ createLedgerAccounts: { status: string }[] }>(
      `mutation Accounts($a: [CreateLedgerAccountInput!]!) { createLedgerAccounts(accounts: $a) { id status error } }`,
      {
        a: [
          { id: accounts.funding1, currency: 'BRL', code: 1 },
          { id: accounts.funding2, currency: 'BRL', code: 1 },
          { id: accounts.funding3, currency: 'BRL', code: 1 },
          { id: accounts.funding4, currency: 'BRL', code: 1 },
          { id: accounts.alice, tenantId: tenant, customerId: customers.alice, currency: 'BRL', code: 100, flags: ['DEBITS_MUST_NOT_EXCEED_CREDITS'] },
          { id: accounts.bob, tenantId: tenant, customerId: customers.bob, currency: 'BRL', code: 100, flags: ['DEBITS_MUST_NOT_EXCEED_CREDITS'] },
          { id: accounts.carol, tenantId: tenant, customerId: customers.carol, currency: 'BRL', code: 100, flags: ['DEBITS_MUST_NOT_EXCEED_CREDITS'] },
        ],
      },
    );
    assert.deepEqual(created.data?.createLedgerAccounts.map((r) => r.status), Array(7).fill('CREATED'));
  });

  after(async () => {
    await platform?.stop();
    await db?.drop();
  });

  it('refuses the one transfer that would pass 2^63 - 1, with a coded result, and commits the others of the batch', async () => {
    assert.deepEqual(await create([transfer(accounts.funding1, accounts.alice, MAX - 10n)]), ['CREATED']);
    // One request, one batch: the overflowing transfers are refused, the rest are written.
    assert.deepEqual(
      await create([
        transfer(accounts.funding2, accounts.alice, 11n),
        transfer(accounts.funding2, accounts.bob, 5n),
        transfer(accounts.funding2, accounts.alice, 10n),
        transfer(accounts.funding1, accounts.bob, 11n),
      ]),
      ['OVERFLOWS_CREDITS_POSTED', 'CREATED', 'CREATED', 'OVERFLOWS_DEBITS_POSTED'],
    );
    const alice = await balance(accounts.alice);
    assert.equal(alice.creditsPosted, MAX.toString(), 'the counter reaches the limit exactly');
    assert.equal(alice.posted.minorUnits, MAX.toString());
    assert.equal(alice.available.minorUnits, MAX.toString());
    assert.equal((await balance(accounts.bob)).creditsPosted, '5');
    assert.equal((await balance(accounts.funding1)).posted.minorUnits, (-(MAX - 10n)).toString());

    // Alice can still spend: money leaves a full account normally (to one whose credits have room).
    assert.deepEqual(await create([transfer(accounts.alice, accounts.funding4, MAX)]), ['CREATED']);
    assert.equal((await balance(accounts.alice)).posted.minorUnits, '0');
  });

  it('bounds holds too: a hold that would pass the limit is refused, and posting an accepted hold cannot overflow', async () => {
    // funding3 lends bob almost everything; bob's credits are near the limit.
    assert.deepEqual(await create([transfer(accounts.funding3, accounts.bob, MAX - 100n)]), ['CREATED']);
    const hold = transfer(accounts.funding3, accounts.bob, 95n, { pending: true, timeoutSeconds: 3600 });
    assert.deepEqual(
      await create([transfer(accounts.funding3, accounts.bob, 101n, { pending: true }), hold]),
      ['OVERFLOWS_DEBITS', 'CREATED'],
    );
    const posted = await ledger<{ postPendingTransfers: Result[] }>(
      `mutation P($t: [PostPendingTransferInput!]!) { postPendingTransfers(transfers: $t) { id status error transfer { id } } }`,
      { t: [{ id: uuidv7(), pendingId: hold.id }] },
    );
    assert.equal(posted.data?.postPendingTransfers[0]?.status, 'CREATED', JSON.stringify(posted));
    assert.equal((await balance(accounts.funding3)).debitsPosted, (MAX - 5n).toString());
  });

  it('a linked batch with an overflowing leg fails as a whole; an amount beyond 64 bits is refused without an internal error', async () => {
    const before = await balance(accounts.carol);
    // funding1's debits are at 2^63 - 11: the second leg would pass the limit.
    const linked = await create([transfer(accounts.funding2, accounts.carol, 1n), transfer(accounts.funding1, accounts.carol, 11n)], true);
    assert.deepEqual(linked, ['LINKED_TRANSFER_FAILED', 'OVERFLOWS_DEBITS_POSTED']);
    assert.deepEqual(await balance(accounts.carol), before, 'nothing of the linked batch was written');

    const huge = await ledger<{ createTransfers: Result[] }>(CREATE, { t: [transfer(accounts.funding2, accounts.carol, (2n ** 64n).toString())] });
    const code = huge.errors?.[0]?.extensions?.code;
    assert.notEqual(code, 'INTERNAL_SERVER_ERROR');
    // Refused as input (BAD_USER_INPUT) or, if it reaches the ledger core, as an overflow.
    assert.ok(code === 'BAD_USER_INPUT' || OVERFLOWS.includes(String(huge.data?.createTransfers[0]?.error)), JSON.stringify(huge));
    assert.deepEqual(await balance(accounts.carol), before, 'nothing was written');
  });

  it('internal-only fields are @inaccessible through the gateway: unknown (GRAPHQL_VALIDATION_FAILED) even for a service or operator token, nothing written', async () => {
    const tokens = {
      service: await platform.mintToken({ subject: 'accounts-service', kind: 'service', tenantId: null, scopes: [] }),
      operator: await platform.mintToken({ subject: 'ops-1', kind: 'operator', tenantId: null, scopes: [] }),
    };
    const id = uuidv7();
    const internal = [
      { query: `mutation A($a: [CreateLedgerAccountInput!]!) { createLedgerAccounts(accounts: $a) { id status } }`, variables: { a: [{ id, currency: 'BRL', code: 1 }] } },
      { query: CREATE, variables: { t: [transfer(accounts.funding4, accounts.alice, 1n, { id })] } },
      { query: `mutation P($t: [PostPendingTransferInput!]!) { postPendingTransfers(transfers: $t) { id status } }`, variables: { t: [{ id, pendingId: uuidv7() }] } },
      { query: `mutation V($t: [VoidPendingTransferInput!]!) { voidPendingTransfers(transfers: $t) { id status } }`, variables: { t: [{ id, pendingId: uuidv7() }] } },
      { query: `query C($t: ID!, $c: ID!) { customerStanding(tenantId: $t, customerId: $c) { customerStatus } }`, variables: { t: tenant, c: customers.alice } },
      { query: `query T($t: ID!) { tenantStanding(tenantId: $t) { status } }`, variables: { t: tenant } },
    ];
    for (const [who, token] of Object.entries(tokens)) {
      for (const { query, variables } of internal) {
        const r = await graphqlRequest<unknown, Record<string, unknown>>({ url: platform.gatewayUrl, document: parse(query), variables, token });
        assert.equal(r.errors?.[0]?.extensions?.code, 'GRAPHQL_VALIDATION_FAILED', `${who}: ${query} ${JSON.stringify(r)}`);
        assert.equal(r.data ?? null, null, `${who}: ${query}`);
      }
    }
    const written = await ledger<{ transfer: unknown; ledgerAccount: unknown }>(`query W($id: ID!) { transfer(id: $id) { id } ledgerAccount(id: $id) { id } }`, { id });
    assert.deepEqual(written.data, { transfer: null, ledgerAccount: null }, JSON.stringify(written));
  });
});
