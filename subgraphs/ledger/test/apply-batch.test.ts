import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import fc from 'fast-check';
import { applyBatch, type BatchState } from '../src/domain/apply-batch';
import { MAX_COUNTER, type AccountState, type PendingState, type TransferRecord, type TransferRequest, type TransferResult } from '../src/domain/types';
import { checkInvariants, createRequestFactory, makeAccounts, nearLimitAmountArb, opArb, opArbWith } from './helpers/history';

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

/** A deep copy of a batch state (accounts and pending states are changed in place by applyBatch). */
function cloneState(state: BatchState): BatchState {
  return {
    accounts: new Map([...state.accounts].map(([id, a]) => [id, { ...a }])),
    existing: new Map(state.existing),
    pendings: new Map([...state.pendings].map(([id, p]) => [id, { ...p }])),
    nextSeq: state.nextSeq,
    now: state.now,
  };
}

const OVERFLOWS = new Set(['OVERFLOWS_DEBITS_PENDING', 'OVERFLOWS_CREDITS_PENDING', 'OVERFLOWS_DEBITS_POSTED', 'OVERFLOWS_CREDITS_POSTED', 'OVERFLOWS_DEBITS', 'OVERFLOWS_CREDITS']);
const outcomeOf = (r: TransferResult) => (r.status === 'FAILED' ? `FAILED:${r.error}` : `${r.status}:${r.transfer.id}:${r.transfer.amount}:${r.transfer.journalSeq}`);

describe('applyBatch: 64-bit counters', () => {
  const account = (flags: number, counters: Partial<AccountState> = {}): AccountState => ({
    id: randomUUID(), currency: 'BRL', flags, debitsPosted: 0n, creditsPosted: 0n, debitsPending: 0n, creditsPending: 0n, ...counters,
  });
  const transfer = (debit: AccountState, credit: AccountState, amount: bigint, kind: 'SINGLE' | 'PENDING' = 'SINGLE'): TransferRequest => ({
    kind, id: randomUUID(), debitAccountId: debit.id, creditAccountId: credit.id, amount, currency: 'BRL', code: 1,
  });

  it('refuses the one transfer that would pass 2^63 - 1 and commits the rest of the batch', () => {
    const [funding1, funding2, alice, bob] = [account(0), account(0), account(1), account(1)];
    const state = freshState([funding1, funding2, alice, bob]);
    const out = applyBatch([{ requests: [transfer(funding1, alice, MAX_COUNTER - 10n)], linked: false }], state);
    assert.equal(out.results[0]![0]!.status, 'CREATED');
    commit(state, out.created);
    const batch = applyBatch(
      [
        { requests: [transfer(funding2, alice, 11n)], linked: false },
        { requests: [transfer(funding2, bob, 5n), transfer(funding2, alice, 10n), transfer(funding1, bob, 11n)], linked: false },
      ],
      state,
    );
    assert.deepEqual(batch.results.flat().map((r) => (r.status === 'FAILED' ? r.error : r.status)), ['OVERFLOWS_CREDITS_POSTED', 'CREATED', 'CREATED', 'OVERFLOWS_DEBITS_POSTED']);
    assert.equal(state.accounts.get(alice.id)!.creditsPosted, MAX_COUNTER, 'the counter may reach the limit exactly');
    assert.equal(state.accounts.get(funding1.id)!.debitsPosted, MAX_COUNTER - 10n);
    assert.deepEqual(batch.created.map((t) => t.journalSeq), [2n, 3n], 'refused transfers take no journal number');
    assert.deepEqual(checkInvariants(state.accounts.values()), []);
  });

  it('bounds pending counters and posted plus pending, so posting a hold can never overflow', () => {
    const [funding, funding2, alice, bob] = [account(0), account(0), account(1), account(0)];
    const state = freshState([funding, funding2, alice, bob]);
    commit(state, applyBatch([{ requests: [transfer(funding, alice, MAX_COUNTER - 100n)], linked: false }], state).created);
    const holds = applyBatch(
      [{ requests: [transfer(funding, bob, 101n, 'PENDING'), transfer(funding, bob, 100n, 'PENDING'), transfer(funding, bob, 1n, 'PENDING'), transfer(bob, alice, MAX_COUNTER, 'PENDING'), transfer(funding2, bob, MAX_COUNTER - 50n, 'PENDING')], linked: false }],
      state,
    );
    commit(state, holds.created);
    assert.deepEqual(holds.results[0]!.map((r) => (r.status === 'FAILED' ? r.error : r.status)), ['OVERFLOWS_DEBITS', 'CREATED', 'OVERFLOWS_DEBITS', 'OVERFLOWS_CREDITS', 'OVERFLOWS_CREDITS_PENDING']);
    const heldId = (holds.results[0]![1] as { transfer: TransferRecord }).transfer.id;
    const post = applyBatch([{ requests: [{ kind: 'POST', id: randomUUID(), pendingId: heldId }], linked: false }], state);
    assert.equal(post.results[0]![0]!.status, 'CREATED');
    assert.equal(state.accounts.get(funding.id)!.debitsPosted, MAX_COUNTER);
    assert.deepEqual(checkInvariants(state.accounts.values()), []);
  });

  it('refuses an amount beyond 64 bits as an overflow, and a linked job with one as a whole', () => {
    const [funding, alice] = [account(0), account(1)];
    const state = freshState([funding, alice]);
    const alone = applyBatch([{ requests: [transfer(funding, alice, 2n ** 64n)], linked: false }], state);
    assert.equal((alone.results[0]![0] as { error: string }).error, 'OVERFLOWS_DEBITS_POSTED');
    const linked = applyBatch([{ requests: [transfer(funding, alice, 5n), transfer(funding, alice, MAX_COUNTER)], linked: true }], state);
    assert.deepEqual(linked.results[0]!.map((r) => (r.status === 'FAILED' ? r.error : r.status)), ['LINKED_TRANSFER_FAILED', 'OVERFLOWS_DEBITS_POSTED']);
    assert.equal(state.accounts.get(alice.id)!.creditsPosted, 0n);
  });

  it('random histories near 2^63 (fast-check): no counter passes the limit, and a refused overflow never changes the others\' results', () => {
    fc.assert(
      fc.property(fc.array(fc.array(opArbWith(nearLimitAmountArb, nearLimitAmountArb), { minLength: 1, maxLength: 6 }), { minLength: 1, maxLength: 20 }), (batches) => {
        const accounts = makeAccounts();
        const state = freshState(accounts);
        const factory = createRequestFactory(accounts);
        for (const batch of batches) {
          const jobs = batch.map((op) => factory.toJob(op)).filter((j) => j.requests.length > 0);
          const shadow = cloneState(state);
          const out = applyBatch(jobs, state);
          assert.deepEqual(checkInvariants(state.accounts.values()), []);
          // The same batch without the jobs refused for overflow gives every other job the same result.
          const refused = new Set(jobs.flatMap((job, j) => (!job.linked && out.results[j]!.some((r) => r.status === 'FAILED' && OVERFLOWS.has(r.error)) ? [j] : [])));
          if (refused.size > 0) {
            const without = applyBatch(jobs.filter((_, j) => !refused.has(j)), shadow);
            const kept = out.results.filter((_, j) => !refused.has(j));
            assert.deepEqual(without.results.map((rs) => rs.map(outcomeOf)), kept.map((rs) => rs.map(outcomeOf)));
            assert.equal(snapshot(shadow), snapshot(state), 'the refused transfers changed no balance');
          }
          commit(state, out.created);
        }
      }),
      { numRuns: 300 },
    );
  });
});
