import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { parse } from 'graphql';
import type { Identity } from '@baas/auth';
import { uuidv7 } from '@baas/db';
import { verifyProofBundle, type InclusionProofBundle } from '@baas/ledger-proofs';
import { graphqlRequest } from '@baas/sdk';
import { createTestDatabase, eventually } from '@baas/testing';
import { startPlatform, type TestPlatform } from '@baas/test-platform';

type Result = { id: string; status: string; error: string | null; transfer: { id: string; kind: string; amount: { minorUnits: string } } | null };

/** The ledger through the gateway: internal writers, customers reading only their own accounts. */
describe('ledger through the gateway (reads) and directly (internal writes)', () => {
  let db: Awaited<ReturnType<typeof createTestDatabase>>;
  let platform: TestPlatform;
  let operator: string;
  let alice: string;
  let bob: string;
  const tenant = uuidv7();
  const customers = { alice: uuidv7(), bob: uuidv7() };
  const accounts = { funding: uuidv7(), alice: uuidv7(), bob: uuidv7() };

  const gql = <T>(token: string, query: string, variables: Record<string, unknown> = {}) =>
    graphqlRequest<T, Record<string, unknown>>({ url: platform.gatewayUrl, document: parse(query), variables, token });

  /** The ledger's writes are @inaccessible through the gateway: internal services call the ledger directly. */
  const asService: Identity = { subject: 'accounts-service', kind: 'service', tenantId: null, scopes: [] };
  const ledger = <T>(who: Identity, query: string, variables: Record<string, unknown> = {}) => platform.callSubgraph<T>('ledger', query, variables, who);

  const CREATE = `mutation Create($t: [TransferInput!]!, $linked: Boolean) {
    createTransfers(transfers: $t, linked: $linked) { id status error transfer { id kind amount { minorUnits } } }
  }`;

  before(async () => {
    db = await createTestDatabase();
    platform = await startPlatform({ databaseUrl: db.url, env: { LEDGER_EXPIRY_INTERVAL_MS: '200' } });
    operator = await platform.mintToken({ subject: 'ops-1', kind: 'operator', tenantId: null, scopes: [] });
    alice = await platform.mintToken({ subject: customers.alice, kind: 'customer', tenantId: tenant, scopes: [] });
    bob = await platform.mintToken({ subject: customers.bob, kind: 'customer', tenantId: tenant, scopes: [] });
    const created = await ledger<{ createLedgerAccounts: { status: string }[] }>(
      asService,
      `mutation Accounts($a: [CreateLedgerAccountInput!]!) { createLedgerAccounts(accounts: $a) { id status error } }`,
      {
        a: [
          { id: accounts.funding, currency: 'BRL', code: 1 },
          { id: accounts.alice, tenantId: tenant, customerId: customers.alice, currency: 'BRL', code: 100, flags: ['DEBITS_MUST_NOT_EXCEED_CREDITS'] },
          { id: accounts.bob, tenantId: tenant, customerId: customers.bob, currency: 'BRL', code: 100, flags: ['DEBITS_MUST_NOT_EXCEED_CREDITS'] },
        ],
      },
    );
    assert.deepEqual(created.data?.createLedgerAccounts.map((r) => r.status), ['CREATED', 'CREATED', 'CREATED']);
  });

  after(async () => {
    await platform?.stop();
    await db?.drop();
  });

  it('moves money, replays a retried id, and refuses a reused one', async () => {
    const t = { id: uuidv7(), debitAccountId: accounts.funding, creditAccountId: accounts.alice, amount: '100000', currency: 'BRL', code: 1 };
    const first = await ledger<{ createTransfers: Result[] }>(asService, CREATE, { t: [t] });
    assert.equal(first.data?.createTransfers[0]?.status, 'CREATED');
    const retry = await ledger<{ createTransfers: Result[] }>(asService, CREATE, { t: [t] });
    assert.equal(retry.data?.createTransfers[0]?.status, 'REPLAYED');
    const reused = await ledger<{ createTransfers: Result[] }>(asService, CREATE, { t: [{ ...t, amount: '1' }] });
    assert.deepEqual(reused.data?.createTransfers[0], { id: t.id, status: 'FAILED', error: 'IDEMPOTENCY_KEY_REUSED', transfer: null });
  });

  it('holds, posts part, and reports balances and pending status', async () => {
    const hold = uuidv7();
    const held = await ledger<{ createTransfers: Result[] }>(asService, CREATE, {
      t: [{ id: hold, debitAccountId: accounts.alice, creditAccountId: accounts.bob, amount: '30000', currency: 'BRL', code: 2, pending: true, timeoutSeconds: 3600 }],
    });
    assert.equal(held.data?.createTransfers[0]?.transfer?.kind, 'PENDING');
    const balance = await gql<{ ledgerAccount: { balance: { posted: { minorUnits: string }; available: { minorUnits: string } } } }>(
      alice,
      `query B($id: ID!) { ledgerAccount(id: $id) { balance { posted { minorUnits } available { minorUnits } } } }`,
      { id: accounts.alice },
    );
    assert.deepEqual(balance.data?.ledgerAccount.balance, { posted: { minorUnits: '100000' }, available: { minorUnits: '70000' } });
    const posted = await ledger<{ postPendingTransfers: Result[] }>(
      asService,
      `mutation P($t: [PostPendingTransferInput!]!) { postPendingTransfers(transfers: $t) { id status error transfer { id kind amount { minorUnits } } } }`,
      { t: [{ id: uuidv7(), pendingId: hold, amount: '12000' }] },
    );
    assert.equal(posted.data?.postPendingTransfers[0]?.transfer?.amount.minorUnits, '12000');
    const status = await gql<{ transfer: { pendingStatus: string } }>(alice, `query S($id: ID!) { transfer(id: $id) { pendingStatus } }`, { id: hold });
    assert.equal(status.data?.transfer.pendingStatus, 'POSTED');
  });

  it('expires a hold on its own when its timeout passes, with no request, and releases the funds', async () => {
    const hold = uuidv7();
    await ledger(asService, CREATE, { t: [{ id: hold, debitAccountId: accounts.alice, creditAccountId: accounts.bob, amount: '500', currency: 'BRL', code: 4, pending: true, timeoutSeconds: 1 }] });
    await eventually(
      async () => {
        const status = await gql<{ transfer: { pendingStatus: string } }>(alice, `query S($id: ID!) { transfer(id: $id) { pendingStatus } }`, { id: hold });
        assert.equal(status.data?.transfer.pendingStatus, 'EXPIRED');
      },
      { attempts: 60, delayMs: 100 },
    );
    const late = await ledger<{ postPendingTransfers: Result[] }>(
      asService,
      `mutation P($t: [PostPendingTransferInput!]!) { postPendingTransfers(transfers: $t) { id status error transfer { id kind amount { minorUnits } } } }`,
      { t: [{ id: uuidv7(), pendingId: hold }] },
    );
    assert.equal(late.data?.postPendingTransfers[0]?.error, 'PENDING_TRANSFER_ALREADY_EXPIRED');
    const balance = await gql<{ ledgerAccount: { balance: { pendingDebits: { minorUnits: string } } } }>(
      alice,
      `query B($id: ID!) { ledgerAccount(id: $id) { balance { pendingDebits { minorUnits } } } }`,
      { id: accounts.alice },
    );
    assert.equal(balance.data?.ledgerAccount.balance.pendingDebits.minorUnits, '0');
  });

  it('refuses an overdraft with a coded result and bad input with BAD_USER_INPUT', async () => {
    const over = await ledger<{ createTransfers: Result[] }>(asService, CREATE, {
      t: [{ id: uuidv7(), debitAccountId: accounts.alice, creditAccountId: accounts.bob, amount: '999999999', currency: 'BRL', code: 3 }],
    });
    assert.equal(over.data?.createTransfers[0]?.error, 'INSUFFICIENT_FUNDS');
    const bad = await ledger(asService, CREATE, { t: [{ id: uuidv7(), debitAccountId: accounts.alice, creditAccountId: accounts.bob, amount: '12.5', currency: 'BRL', code: 3 }] });
    assert.equal(bad.errors?.[0]?.extensions?.code, 'BAD_USER_INPUT');
  });

  it('lets a customer page through their own transfers, and no one else\'s', async () => {
    const page = await gql<{ ledgerAccount: { transfers: { edges: { node: { kind: string } }[]; pageInfo: { hasNextPage: boolean; endCursor: string } } } }>(
      alice,
      `query T($id: ID!) { ledgerAccount(id: $id) { transfers(first: 2) { edges { node { kind } } pageInfo { hasNextPage endCursor } } } }`,
      { id: accounts.alice },
    );
    assert.deepEqual(page.data?.ledgerAccount.transfers.edges.map((e) => e.node.kind), ['EXPIRE', 'PENDING']);
    assert.equal(page.data?.ledgerAccount.transfers.pageInfo.hasNextPage, true);
    const next = await gql<{ ledgerAccount: { transfers: { edges: { node: { kind: string } }[] } } }>(
      alice,
      `query T($id: ID!, $after: String) { ledgerAccount(id: $id) { transfers(first: 2, after: $after) { edges { node { kind } } } } }`,
      { id: accounts.alice, after: page.data?.ledgerAccount.transfers.pageInfo.endCursor },
    );
    assert.deepEqual(next.data?.ledgerAccount.transfers.edges.map((e) => e.node.kind), ['POST', 'PENDING']);

    const idor = await gql(bob, `query B($id: ID!) { ledgerAccount(id: $id) { balance { posted { minorUnits } } } }`, { id: accounts.alice });
    assert.equal(idor.errors?.[0]?.extensions?.code, 'FORBIDDEN');
    const write = await ledger({ subject: customers.alice, kind: 'customer', tenantId: tenant, scopes: [] }, CREATE, { t: [{ id: uuidv7(), debitAccountId: accounts.bob, creditAccountId: accounts.alice, amount: '1', currency: 'BRL', code: 1 }] });
    assert.equal(write.errors?.[0]?.extensions?.code, 'FORBIDDEN', 'customers never write to the ledger directly');
  });

  it('verifies the chain and proves a transfer against a signed checkpoint', async () => {
    const chain = await gql<{ verifyLedgerChain: { ok: boolean; checked: number } }>(operator, `{ verifyLedgerChain { ok checked } }`);
    assert.deepEqual(chain.data?.verifyLedgerChain, { ok: true, checked: 5 });
    const cp = await gql<{ createLedgerCheckpoint: { treeSize: string } }>(operator, `mutation { createLedgerCheckpoint { treeSize } }`);
    assert.equal(cp.data?.createLedgerCheckpoint.treeSize, '5');
    const transfers = await gql<{ ledgerAccount: { transfers: { edges: { node: { id: string } }[] } } }>(
      alice,
      `query T($id: ID!) { ledgerAccount(id: $id) { transfers(first: 1) { edges { node { id } } } } }`,
      { id: accounts.alice },
    );
    const transferId = transfers.data!.ledgerAccount.transfers.edges[0]!.node.id;
    const proof = await gql<{ transferInclusionProof: InclusionProofBundle; ledgerCheckpointPublicKey: string }>(
      alice,
      `query P($id: ID!) { transferInclusionProof(transferId: $id) ledgerCheckpointPublicKey }`,
      { id: transferId },
    );
    assert.deepEqual(verifyProofBundle(proof.data!.transferInclusionProof, proof.data!.ledgerCheckpointPublicKey), { ok: true });
    const denied = await gql(alice, `{ verifyLedgerChain { ok } }`);
    assert.equal(denied.errors?.[0]?.extensions?.code, 'FORBIDDEN');
  });
});
