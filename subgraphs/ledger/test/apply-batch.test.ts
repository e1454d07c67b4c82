import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import fc from 'fast-check';
import { applyBatch, type BatchState } from '../src/services/apply-batch';
import type { AccountState, PendingState, TransferRecord, TransferRequest } from '../src/services/types';
import { checkInvariants, createRequestFactory, makeAccounts, opArb } from './helpers/history';

function freshState(accounts: AccountState[]): BatchState {
  return { accounts: new Map(accounts.map((a) => [a.id, { ...a }])), existing: new Map(), pendings: new Map(), nextSeq: 1n, now: new Date('2026-11-29T12:00:00Z') };
}

/** Carries committed records into the next batch's state, as the database would. */
function commit(state: BatchState, created: TransferRecord[]): void {
  for (const t of created) {
    state.existing.set(t.id, t);
    if (t.kind === 'PENDING') state.pendings.set(t.id, { transfer: t, resolvedBy: null });
    if (t.pendingId) (state.pendings.get(t.pendingId) as PendingState).resolvedBy = t.kind as PendingState['resolvedBy'];
  }
  state.nextSeq += BigInt(created.length);
}

const snapshot = (state: BatchState) => JSON.stringify([...state.accounts.values()], (_, v) => (typeof v === 'bigint' ? v.toString() : v));

describe('applyBatch: known cases', () => {
  const [funding, alice, bob] = [
    { id: randomUUID(), currency: 'BRL', flags: 0 },
    { id: randomUUID(), currency: 'BRL', flags: 1 },
    { id: randomUUID(), currency: 'BRL', flags: 1 },
  ].map((a) => ({ ...a, debitsPosted: 0n, creditsPosted: 0n, debitsPending: 0n, creditsPending: 0n })) as [AccountState, AccountState, AccountState];
  const single = (debit: AccountState, credit: AccountState, amount: bigint, id = randomUUID()): Extract<TransferRequest, { kind: 'SINGLE' | 'PENDING' }> => ({
    kind: 'SINGLE' as const, id, debitAccountId: debit.id, creditAccountId: credit.id, amount, currency: 'BRL', code: 1,
  });

  it('moves money, refuses an overdraft, and counts holds against the available balance', () => {
    const state = freshState([funding, alice, bob]);
    const hold: TransferRequest = { kind: 'PENDING', id: randomUUID(), debitAccountId: alice.id, creditAccountId: bob.id, amount: 60n, currency: 'BRL', code: 1 };
    const out = applyBatch([{ requests: [single(funding, alice, 100n), hold, single(alice, bob, 50n)], linked: false }], state);
    assert.deepEqual(out.results[0]!.map((r) => r.status), ['CREATED', 'CREATED', 'FAILED']);
    assert.equal((out.results[0]![2] as { error: string }).error, 'INSUFFICIENT_FUNDS', 'the pending debit counts against the available balance');
    const a = state.accounts.get(alice.id)!;
    assert.deepEqual([a.creditsPosted, a.debitsPosted, a.debitsPending], [100n, 0n, 60n]);
    assert.deepEqual(out.created.map((t) => t.journalSeq), [1n, 2n]);
  });

  it('posts part of a hold and releases the rest; a second post is refused', () => {
    const state = freshState([funding, alice, bob]);
    const holdId = randomUUID();
    applyBatch([{ requests: [single(funding, alice, 100n), { kind: 'PENDING', id: holdId, debitAccountId: alice.id, creditAccountId: bob.id, amount: 80n, currency: 'BRL', code: 1 }], linked: false }], state);
    const out = applyBatch([{ requests: [{ kind: 'POST', id: randomUUID(), pendingId: holdId, amount: 30n }, { kind: 'VOID', id: randomUUID(), pendingId: holdId }], linked: false }], state);
    assert.equal(out.results[0]![0]!.status, 'CREATED');
    assert.deepEqual(out.results[0]![1], { id: (out.results[0]![1] as { id: string }).id, status: 'FAILED', error: 'PENDING_TRANSFER_ALREADY_POSTED' });
    const a = state.accounts.get(alice.id)!;
    assert.deepEqual([a.debitsPosted, a.debitsPending], [30n, 0n]);
    assert.equal(state.accounts.get(bob.id)!.creditsPosted, 30n);
  });

  it('a linked batch fails as a whole and leaves nothing behind', () => {
    const state = freshState([funding, alice, bob]);
    const before = snapshot(state);
    const out = applyBatch([{ requests: [single(funding, alice, 10n), single(alice, bob, 50n)], linked: true }], state);
    assert.deepEqual(out.results[0]!.map((r) => (r.status === 'FAILED' ? r.error : r.status)), ['LINKED_TRANSFER_FAILED', 'INSUFFICIENT_FUNDS']);
    assert.equal(out.created.length, 0);
    assert.equal(snapshot(state), before);
  });

  it('replays the same request and refuses a reused id with another request', () => {
    const state = freshState([funding, alice, bob]);
    const first = single(funding, alice, 10n);
    const out = applyBatch([{ requests: [first, first, { ...first, amount: 11n }], linked: false }], state);
    assert.deepEqual(out.results[0]!.map((r) => (r.status === 'FAILED' ? r.error : r.status)), ['CREATED', 'REPLAYED', 'IDEMPOTENCY_KEY_REUSED']);
    assert.equal(state.accounts.get(alice.id)!.creditsPosted, 10n);
  });

  it('expires only what timed out; a timed-out hold can no longer be posted', () => {
    const state = freshState([funding, alice, bob]);
    const holdId = randomUUID();
    applyBatch([{ requests: [single(funding, alice, 100n), { kind: 'PENDING', id: holdId, debitAccountId: alice.id, creditAccountId: bob.id, amount: 40n, currency: 'BRL', code: 1, timeoutSeconds: 60 }], linked: false }], state);
    const early = applyBatch([{ requests: [{ kind: 'EXPIRE', id: randomUUID(), pendingId: holdId }], linked: false }], state);
    assert.equal((early.results[0]![0] as { error: string }).error, 'PENDING_TRANSFER_NOT_EXPIRED');
    state.now = new Date(state.now.getTime() + 61_000);
    const late = applyBatch([{ requests: [{ kind: 'POST', id: randomUUID(), pendingId: holdId }, { kind: 'EXPIRE', id: randomUUID(), pendingId: holdId }], linked: false }], state);
    assert.deepEqual(late.results[0]!.map((r) => (r.status === 'FAILED' ? r.error : r.status)), ['PENDING_TRANSFER_EXPIRED', 'CREATED']);
    assert.equal(state.accounts.get(alice.id)!.debitsPending, 0n);
  });
});

describe('applyBatch: random histories (fast-check)', () => {
  it('keep debits = credits per currency, never overdraw a guarded account, and replays change nothing', () => {
    fc.assert(
      fc.property(fc.array(fc.array(opArb, { minLength: 1, maxLength: 6 }), { minLength: 1, maxLength: 25 }), (batches) => {
        const accounts = makeAccounts();
        const state = freshState(accounts);
        const factory = createRequestFactory(accounts);
        // Seed the funding accounts' counterparts so guarded accounts can receive and spend.
        for (const batch of batches) {
          const jobs = batch.map((op) => factory.toJob(op)).filter((j) => j.requests.length > 0);
          const replayOnly = jobs.every((j) => j.requests.every((r) => state.existing.has(r.id)));
          const before = snapshot(state);
          const out = applyBatch(jobs, state);
          assert.deepEqual(checkInvariants(state.accounts.values()), []);
          // Journal numbering is gapless and in order.
          out.created.forEach((t, i) => assert.equal(t.journalSeq, state.nextSeq + BigInt(i)));
          // Linked jobs are all-or-nothing.
          jobs.forEach((job, j) => {
            if (!job.linked) return;
            const statuses = new Set(out.results[j]!.map((r) => r.status === 'FAILED'));
            assert.equal(statuses.size, 1, 'a linked job is all-or-nothing');
          });
          if (replayOnly) {
            assert.equal(out.created.length, 0);
            assert.equal(snapshot(state), before, 'replays change nothing');
          }
          commit(state, out.created);
        }
      }),
      { numRuns: 300 },
    );
  });
});
