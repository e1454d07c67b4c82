import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { createPrismaClient, uuidv7 } from '@baas/db';
import { derivedUuid } from '@baas/server';
import { createTestDatabase, type TestDatabase } from '@baas/testing';
import { PrismaClient } from '../src/generated/prisma/client';
import { createAccountStore } from '../src/store/account-store';
import { createSagaStore, type NewSaga } from '../src/store/saga-store';

type OutboxRow = { event_id: string; subject: string; payload: string };

// The accounts subgraph's events are written with the change that causes them (the outbox, one
// transaction), once: a repeated step, a lost race or a replayed request adds no row.
describe('accounts events: the outbox rows written with accounts and transfers (PostgreSQL)', { timeout: 60_000 }, () => {
  let database: TestDatabase;
  let db: PrismaClient;
  const tenantId = randomUUID();
  const customerId = randomUUID();

  before(async () => {
    database = await createTestDatabase({ domains: ['accounts'] });
    db = createPrismaClient(PrismaClient, database.url);
  });
  after(async () => {
    await db?.$disconnect();
    await database?.drop();
  });

  const rows = () => db.$queryRaw<OutboxRow[]>`SELECT event_id::text, subject, payload FROM accounts.account_event_outbox ORDER BY seq`;
  /** The rows added while `fn` runs. */
  async function added(fn: () => Promise<unknown>): Promise<(OutboxRow & { data: Record<string, unknown> })[]> {
    const seen = (await rows()).length;
    await fn();
    return (await rows()).slice(seen).map((r) => ({ ...r, data: JSON.parse(r.payload) as Record<string, unknown> }));
  }
  const newAccount = async () => {
    const accounts = createAccountStore(db);
    const id = uuidv7();
    const row = await accounts.insert({ id, tenantId, customerId, currency: 'BRL', branch: '0001', requestHash: 'h', numberFor: (n) => ({ number: String(n).padStart(8, '0'), checkDigit: '0' }) });
    assert.ok(row);
    return row;
  };

  it('an account is opened (its ledger account recorded) with one accounts.account.opened; recording again adds none', async () => {
    const accounts = createAccountStore(db);
    let account!: Awaited<ReturnType<typeof newAccount>>;
    assert.deepEqual(await added(async () => (account = await newAccount())), [], 'not usable yet: no event before its ledger account');
    const opened = await added(() => accounts.recordLedgerAccount(account.id));
    assert.equal(opened.length, 1);
    assert.equal(opened[0]!.subject, 'accounts.account.opened');
    assert.equal(opened[0]!.event_id, derivedUuid(`accounts:account:${account.id}:OPENED`));
    assert.deepEqual(
      { ...opened[0]!.data, openedAt: undefined },
      { accountId: account.id, tenantId, customerId, currency: 'BRL', branch: '0001', number: account.number, checkDigit: '0', status: 'ACTIVE', ledgerAccountId: account.id, openedAt: undefined },
    );
    assert.deepEqual(await added(() => accounts.recordLedgerAccount(account.id)), []);
  });

  it('freezing, unfreezing and closing write one event each; a change that lost its race writes none', async () => {
    const accounts = createAccountStore(db);
    const account = await newAccount();
    await accounts.recordLedgerAccount(account.id);
    const frozen = await added(() => accounts.changeStatus(account.id, 'ACTIVE', 'FROZEN'));
    assert.deepEqual(frozen.map((r) => [r.subject, r.data.tenantId, r.data.status, r.data.previousStatus]), [['accounts.account.frozen', tenantId, 'FROZEN', 'ACTIVE']]);
    assert.deepEqual(await added(async () => assert.equal(await accounts.changeStatus(account.id, 'ACTIVE', 'FROZEN'), null)), []);
    const unfrozen = await added(() => accounts.changeStatus(account.id, 'FROZEN', 'ACTIVE'));
    assert.deepEqual(unfrozen.map((r) => r.subject), ['accounts.account.unfrozen']);
    const closed = await added(() => accounts.changeStatus(account.id, 'ACTIVE', 'CLOSED'));
    assert.deepEqual(closed.map((r) => [r.subject, r.data.customerId, r.data.status]), [['accounts.account.closed', customerId, 'CLOSED']]);
    assert.ok(typeof closed[0]!.data.closedAt === 'string');
  });

  const saga = (over: Partial<NewSaga> = {}): NewSaga => ({
    id: uuidv7(), kind: 'TRANSFER', tenantId, customerId, fromAccountId: randomUUID(), toAccountId: randomUUID(), amount: 12_345n, currency: 'BRL', description: 'rent', requestHash: 'h', ...over,
  });

  it('a transfer that posts writes one accounts.transfer.completed (amount a string); the final write repeated adds none', async () => {
    const sagas = createSagaStore(db);
    const s = saga();
    const started = await sagas.insert(s, 10_000);
    assert.ok(started);
    assert.deepEqual(await added(() => sagas.save(started, { step: 'HOLD' }, 10_000)), [], 'unfinished: no event');
    const running = (await sagas.find(s.id))!;
    const completed = await added(async () => assert.equal((await sagas.save(running, { status: 'SUCCEEDED', step: 'POST' }, 10_000))?.state, 'POSTED'));
    assert.equal(completed.length, 1);
    assert.equal(completed[0]!.subject, 'accounts.transfer.completed');
    assert.equal(completed[0]!.event_id, derivedUuid(`accounts:transfer:${s.id}:COMPLETED`));
    const { createdAt, ...data } = completed[0]!.data;
    assert.ok(typeof createdAt === 'string');
    assert.deepEqual(data, { transferId: s.id, tenantId, customerId, fromAccountId: s.fromAccountId, toAccountId: s.toAccountId, amount: '12345', currency: 'BRL', status: 'COMPLETED', state: 'POSTED', description: 'rent' });
    assert.deepEqual(await added(() => sagas.save(running, { status: 'SUCCEEDED', step: 'POST' }, 10_000)), []);
  });

  it('a final write that lost its lease (a stale fence) changes nothing and writes no event', async () => {
    const sagas = createSagaStore(db);
    const s = saga();
    const started = (await sagas.insert(s, 10_000))!;
    // The lease lapsed and another worker claimed the saga: the first one's fence is stale.
    await db.$executeRaw`UPDATE accounts.transfer_saga SET lease_until = now() - interval '1 second' WHERE id = ${s.id}::uuid`;
    assert.ok(await sagas.claim(s.id, 10_000));
    assert.deepEqual(await added(async () => assert.equal(await sagas.save(started, { status: 'SUCCEEDED', step: 'POST' }, 10_000), null)), []);
    assert.equal((await sagas.find(s.id))!.state, 'PENDING');
  });

  it('a transfer voided, or refused before anything moved, writes one accounts.transfer.failed with its reason; repeats add none', async () => {
    const sagas = createSagaStore(db);
    const v = saga();
    const started = (await sagas.insert(v, 10_000))!;
    const voided = await added(() => sagas.save(started, { status: 'COMPENSATED', failureCode: 'INSUFFICIENT_FUNDS' }, 10_000));
    assert.deepEqual(voided.map((r) => [r.subject, r.data.status, r.data.state, r.data.failureReason, r.data.amount, r.data.tenantId]), [
      ['accounts.transfer.failed', 'FAILED', 'VOIDED', 'INSUFFICIENT_FUNDS', '12345', tenantId],
    ]);
    assert.deepEqual(await added(() => sagas.save(started, { status: 'COMPENSATED', failureCode: 'INSUFFICIENT_FUNDS' }, 10_000)), []);

    const r = saga({ failed: 'ACCOUNT_FROZEN' });
    const refused = await added(async () => assert.equal((await sagas.insert(r, 10_000))?.state, 'FAILED'));
    assert.deepEqual(refused.map((x) => [x.subject, x.event_id, x.data.failureReason, x.data.state]), [['accounts.transfer.failed', derivedUuid(`accounts:transfer:${r.id}:FAILED`), 'ACCOUNT_FROZEN', 'FAILED']]);
    assert.deepEqual(await added(async () => assert.equal(await sagas.insert(r, 10_000), null)), [], 'a replayed request inserts nothing');
  });

  it('sandbox fundings and FX executions write no transfer event', async () => {
    const sagas = createSagaStore(db);
    const f = saga({ kind: 'FUNDING', fromAccountId: null });
    const started = (await sagas.insert(f, 10_000))!;
    assert.deepEqual(await added(() => sagas.save(started, { status: 'SUCCEEDED' }, 10_000)), []);
    assert.deepEqual(await added(() => sagas.insert(saga({ kind: 'FX', failed: 'RISK_DECLINED' }), 10_000)), []);
  });
});
