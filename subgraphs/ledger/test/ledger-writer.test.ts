import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { expireTransferId } from '../src/domain/expire-transfer-id';
import { createTransferStore } from '../src/store/transfer-store';
import { expirePendingTransfers } from '../src/workers/pending-expiry';
import { checkInvariants } from './helpers/history';
import { count, createLedgerFixture, single, verifyJournal } from './helpers/ledger-db';

describe('ledger writer on PostgreSQL', () => {
  let f: Awaited<ReturnType<typeof createLedgerFixture>>;
  before(async () => {
    f = await createLedgerFixture();
  });
  after(async () => {
    await f?.close();
  });

  it('commits single-phase transfers with journal entries and outbox events in one transaction', async () => {
    const tenant = randomUUID();
    const [funding, alice] = await f.accounts([{}, { flags: 1, tenantId: tenant }]);
    const journalBefore = await count(f.pool, 'journal_entry');
    const results = await f.writer.submit([single(funding!, alice!, 1000n), single(alice!, funding!, 250n)]);
    assert.deepEqual(results.map((r) => r.status), ['CREATED', 'CREATED']);
    const b = await f.balances([alice!]);
    assert.deepEqual([b.get(alice!)!.creditsPosted, b.get(alice!)!.debitsPosted], [1000n, 250n]);
    assert.equal((await count(f.pool, 'journal_entry')) - journalBefore, 2);
    assert.equal(await count(f.pool, 'journal_entry'), await count(f.pool, 'outbox_event'));
    const events = await f.pool.query<{ subject: string; payload: { accounts: { id: string; tenantId: string | null; creditsPosted: string }[] } }>(
      'SELECT subject, payload::json AS payload FROM ledger.outbox_event ORDER BY seq DESC LIMIT 2',
    );
    assert.deepEqual(events.rows.map((e) => e.subject), ['ledger.transfer.posted', 'ledger.transfer.posted']);
    assert.equal(events.rows[1]!.payload.accounts.find((a) => a.id === alice)!.creditsPosted, '1000');
    // Each account carries its tenant (the webhooks fan-out routes by it); the platform's own account none.
    assert.deepEqual(events.rows[1]!.payload.accounts.map((a) => a.tenantId), [null, tenant]);
  });

  it('replays a repeated id and refuses it with a different request, across batches', async () => {
    const [funding, alice] = await f.accounts([{}, { flags: 1 }]);
    const t = single(funding!, alice!, 77n);
    const [first] = await f.writer.submit([t]);
    const [again] = await f.writer.submit([t]);
    const [reused] = await f.writer.submit([{ ...t, amount: 78n }]);
    assert.equal(first!.status, 'CREATED');
    assert.equal(again!.status, 'REPLAYED');
    assert.deepEqual(again?.status === 'REPLAYED' && again.transfer.journalSeq, first?.status === 'CREATED' && first.transfer.journalSeq);
    assert.deepEqual(reused, { id: t.id, status: 'FAILED', error: 'IDEMPOTENCY_KEY_REUSED' });
    assert.equal((await f.balances([alice!])).get(alice!)!.creditsPosted, 77n);
  });

  it('two-phase: a hold, a partial post, and the rest released; all recorded, nothing updated', async () => {
    const [funding, alice, merchant] = await f.accounts([{}, { flags: 1 }, {}]);
    await f.writer.submit([single(funding!, alice!, 500n)]);
    const holdId = randomUUID();
    const [hold] = await f.writer.submit([{ kind: 'PENDING', id: holdId, debitAccountId: alice!, creditAccountId: merchant!, amount: 300n, currency: 'BRL', code: 7 }]);
    assert.equal(hold!.status, 'CREATED');
    let b = await f.balances([alice!]);
    assert.equal(b.get(alice!)!.debitsPending, 300n);
    const [overspend] = await f.writer.submit([single(alice!, merchant!, 201n)]);
    assert.deepEqual(overspend?.status === 'FAILED' && overspend.error, 'INSUFFICIENT_FUNDS');
    const [post] = await f.writer.submit([{ kind: 'POST', id: randomUUID(), pendingId: holdId, amount: 120n }]);
    assert.equal(post!.status, 'CREATED');
    b = await f.balances([alice!, merchant!]);
    assert.deepEqual([b.get(alice!)!.debitsPosted, b.get(alice!)!.debitsPending, b.get(merchant!)!.creditsPosted], [120n, 0n, 120n]);
  });

  it('a linked batch is all-or-nothing in the database too', async () => {
    const [funding, alice, bob] = await f.accounts([{}, { flags: 1 }, { flags: 1 }]);
    const journalBefore = await count(f.pool, 'journal_entry');
    const results = await f.writer.submit([single(funding!, alice!, 10n), single(alice!, bob!, 11n)], { linked: true });
    assert.deepEqual(results.map((r) => r.status === 'FAILED' && r.error), ['LINKED_TRANSFER_FAILED', 'INSUFFICIENT_FUNDS']);
    assert.equal(await count(f.pool, 'journal_entry'), journalBefore);
    assert.equal((await f.balances([alice!])).get(alice!)!.creditsPosted, 0n);
  });

  it('expires a timed-out hold on its own terms, once, even with two expirers', async () => {
    const [funding, alice, merchant] = await f.accounts([{}, { flags: 1 }, {}]);
    await f.writer.submit([single(funding!, alice!, 100n)]);
    const holdId = randomUUID();
    await f.writer.submit([{ kind: 'PENDING', id: holdId, debitAccountId: alice!, creditAccountId: merchant!, amount: 40n, currency: 'BRL', code: 7, timeoutSeconds: 1 }]);
    await new Promise((r) => setTimeout(r, 1100));
    const second = f.secondWriter();
    const expired = await Promise.all([expirePendingTransfers({ transfers: createTransferStore(f.pool), writer: f.writer }), expirePendingTransfers({ transfers: createTransferStore(second.pool), writer: second.writer })]);
    await second.writer.close();
    await second.pool.end();
    assert.ok(expired.reduce((a, b) => a + b, 0) >= 1);
    const rows = await f.pool.query('SELECT id FROM ledger.transfer WHERE pending_id = $1', [holdId]);
    assert.deepEqual(rows.rows.map((r) => r.id), [expireTransferId(holdId)]);
    assert.equal((await f.balances([alice!])).get(alice!)!.debitsPending, 0n);
  });

  it('refuses UPDATE, DELETE and TRUNCATE of ledger records in the database itself', async () => {
    const [funding, alice] = await f.accounts([{}, {}]);
    const [r] = await f.writer.submit([single(funding!, alice!, 5n)]);
    const id = r?.status === 'CREATED' ? r.transfer.id : '';
    await assert.rejects(f.pool.query('UPDATE ledger.transfer SET amount = 6 WHERE id = $1', [id]), /append-only/);
    await assert.rejects(f.pool.query('DELETE FROM ledger.transfer WHERE id = $1', [id]), /append-only/);
    await assert.rejects(f.pool.query("UPDATE ledger.journal_entry SET content = 'x' WHERE transfer_id = $1", [id]), /append-only/);
    await assert.rejects(f.pool.query('DELETE FROM ledger.outbox_event'), /append-only/);
    await assert.rejects(f.pool.query('TRUNCATE ledger.journal_entry CASCADE'), /append-only/);
    // A guarded account cannot be overdrawn even by SQL that skips the ledger.
    const [guarded] = await f.accounts([{ flags: 1 }]);
    await assert.rejects(f.pool.query('UPDATE ledger.ledger_account SET debits_posted = 1 WHERE id = $1', [guarded]), /ledger_account_debits_guard/);
  });

  it('keeps the journal chain intact', async () => {
    const result = await verifyJournal(f.pool);
    assert.equal(result.ok, true);
    assert.equal(result.checked, await count(f.pool, 'journal_entry'));
    assert.deepEqual(checkInvariants((await f.balances()).values()), []);
  });
});
