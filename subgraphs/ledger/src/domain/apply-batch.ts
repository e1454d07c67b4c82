import { randomUUID } from 'node:crypto';
import { sameTransferRequest, transferFingerprint } from './transfer-fingerprint';
import {
  ACCOUNT_FLAGS,
  MAX_COUNTER,
  type AccountBalances,
  type AccountState,
  type PendingState,
  type TransferErrorCode,
  type TransferRecord,
  type TransferRequest,
  type TransferResult,
} from './types';

export type BatchJob = { requests: TransferRequest[]; linked: boolean };

export type BatchState = {
  /** Every account the batch names that exists; balances are changed in place. */
  accounts: Map<string, AccountState>;
  /** Already committed transfers with the batch's ids (for idempotency). */
  existing: Map<string, TransferRecord>;
  /** Already committed pending transfers the batch resolves, and whether they were resolved. */
  pendings: Map<string, PendingState>;
  /** The journal sequence number the first new transfer takes. */
  nextSeq: bigint;
  now: Date;
};

export type BatchOutcome = {
  /** Results per job, in request order. */
  results: TransferResult[][];
  /** New transfers in commit (journal) order. */
  created: TransferRecord[];
  /** Ids of accounts whose balances changed. */
  touched: Set<string>;
  /** Balances of each new transfer's debit and credit accounts right after it (for its event). */
  balancesAfter: Map<string, [AccountBalancesOf, AccountBalancesOf]>;
};

export type AccountBalancesOf = AccountBalances & { id: string; tenantId: string | null };

class Refused extends Error {
  constructor(readonly code: TransferErrorCode) {
    super(code);
  }
}

/** What a linked job must be able to take back if a later transfer of it fails. */
type UndoLog = { counters: [AccountState, bigint, bigint, bigint, bigint][]; created: number; resolved: PendingState[]; added: string[] };

/**
 * Applies a batch of transfer requests to in-memory state, in order, with TigerBeetle's semantics:
 * each request is validated against the state left by the ones before it; a linked job succeeds or
 * fails as a whole; a repeated id with the same request is a replay. Pure: no I/O, so the ledger's
 * arithmetic can be tested exhaustively without a database. On the hot path: every check happens
 * before anything changes, so only linked jobs keep an undo log.
 */
export function applyBatch(jobs: BatchJob[], state: BatchState): BatchOutcome {
  const created: TransferRecord[] = [];
  const touched = new Set<string>();
  const inBatch = new Map<string, TransferRecord>();
  const balancesAfter = new Map<string, [AccountBalancesOf, AccountBalancesOf]>();
  let seq = state.nextSeq;
  const now = state.now;
  const nowMs = now.getTime();

  const snapshot = (a: AccountState): AccountBalancesOf => ({
    id: a.id,
    tenantId: a.tenantId ?? null,
    debitsPosted: a.debitsPosted,
    creditsPosted: a.creditsPosted,
    debitsPending: a.debitsPending,
    creditsPending: a.creditsPending,
  });

  /** Adds to an account's counters (posted debits, posted credits, pending debits, pending credits). */
  const change = (a: AccountState, dp: bigint, cp: bigint, dpe: bigint, cpe: bigint, undo: UndoLog | null) => {
    if (dp !== 0n) a.debitsPosted += dp;
    if (cp !== 0n) a.creditsPosted += cp;
    if (dpe !== 0n) a.debitsPending += dpe;
    if (cpe !== 0n) a.creditsPending += cpe;
    touched.add(a.id);
    undo?.counters.push([a, dp, cp, dpe, cpe]);
  };

  const account = (id: string) => {
    const found = state.accounts.get(id);
    if (!found) throw new Refused('ACCOUNT_NOT_FOUND');
    return found;
  };

  const rollback = (undo: UndoLog) => {
    for (let i = undo.counters.length - 1; i >= 0; i--) {
      const [a, dp, cp, dpe, cpe] = undo.counters[i]!;
      a.debitsPosted -= dp;
      a.creditsPosted -= cp;
      a.debitsPending -= dpe;
      a.creditsPending -= cpe;
    }
    for (const p of undo.resolved) p.resolvedBy = null;
    for (const id of undo.added) state.pendings.delete(id);
    for (let i = 0; i < undo.created; i++) {
      const record = created.pop()!;
      inBatch.delete(record.id);
      balancesAfter.delete(record.id);
      seq -= 1n;
    }
  };

  const apply = (request: TransferRequest, linkedGroup: string | null, undo: UndoLog | null): TransferResult => {
    const requestHash = transferFingerprint(request);
    const previous = state.existing.get(request.id) ?? inBatch.get(request.id);
    if (previous) {
      if (!sameTransferRequest(previous.requestHash, requestHash, request)) throw new Refused('IDEMPOTENCY_KEY_REUSED');
      return { id: request.id, status: 'REPLAYED', transfer: previous };
    }
    const record = validateAndApply(request, requestHash, linkedGroup, undo);
    created.push(record);
    inBatch.set(record.id, record);
    balancesAfter.set(record.id, [snapshot(state.accounts.get(record.debitAccountId)!), snapshot(state.accounts.get(record.creditAccountId)!)]);
    seq += 1n;
    if (undo) undo.created += 1;
    return { id: request.id, status: 'CREATED', transfer: record };
  };

  const validateAndApply = (request: TransferRequest, requestHash: string, linkedGroup: string | null, undo: UndoLog | null): TransferRecord => {
    if (request.kind === 'SINGLE' || request.kind === 'PENDING') {
      const amount = request.amount;
      if (amount <= 0n) throw new Refused('AMOUNT_MUST_BE_POSITIVE');
      if (request.debitAccountId === request.creditAccountId) throw new Refused('ACCOUNTS_MUST_BE_DIFFERENT');
      const timeout = request.timeoutSeconds ?? 0;
      if (!Number.isInteger(timeout) || timeout < 0 || (timeout > 0 && request.kind !== 'PENDING')) throw new Refused('INVALID_TIMEOUT');
      const debit = account(request.debitAccountId);
      const credit = account(request.creditAccountId);
      if (debit.currency !== request.currency || credit.currency !== request.currency) throw new Refused('CURRENCY_MISMATCH');
      // The guards, on the balances this transfer would leave (pending debits count against the available balance).
      if (debit.flags & ACCOUNT_FLAGS.DEBITS_MUST_NOT_EXCEED_CREDITS && debit.debitsPosted + debit.debitsPending + amount > debit.creditsPosted) {
        throw new Refused('INSUFFICIENT_FUNDS');
      }
      if (credit.flags & ACCOUNT_FLAGS.CREDITS_MUST_NOT_EXCEED_DEBITS && credit.creditsPosted + credit.creditsPending + amount > credit.debitsPosted) {
        throw new Refused('EXCEEDS_DEBITS');
      }
      // No counter may pass 2^63 - 1 (the database's bigint): refused here, so the batch's write
      // never fails for one transfer's sake. Posted + pending is bounded too, so a later post of a
      // hold (pending moves to posted) can never overflow either.
      if (request.kind === 'PENDING') {
        if (debit.debitsPending + amount > MAX_COUNTER) throw new Refused('OVERFLOWS_DEBITS_PENDING');
        if (credit.creditsPending + amount > MAX_COUNTER) throw new Refused('OVERFLOWS_CREDITS_PENDING');
      } else {
        if (debit.debitsPosted + amount > MAX_COUNTER) throw new Refused('OVERFLOWS_DEBITS_POSTED');
        if (credit.creditsPosted + amount > MAX_COUNTER) throw new Refused('OVERFLOWS_CREDITS_POSTED');
      }
      if (debit.debitsPosted + debit.debitsPending + amount > MAX_COUNTER) throw new Refused('OVERFLOWS_DEBITS');
      if (credit.creditsPosted + credit.creditsPending + amount > MAX_COUNTER) throw new Refused('OVERFLOWS_CREDITS');
      if (request.kind === 'SINGLE') {
        change(debit, amount, 0n, 0n, 0n, undo);
        change(credit, 0n, amount, 0n, 0n, undo);
      } else {
        change(debit, 0n, 0n, amount, 0n, undo);
        change(credit, 0n, 0n, 0n, amount, undo);
      }
      const timed = request.kind === 'PENDING' && timeout > 0;
      const record: TransferRecord = {
        id: request.id,
        kind: request.kind,
        debitAccountId: request.debitAccountId,
        creditAccountId: request.creditAccountId,
        amount,
        currency: request.currency,
        code: request.code,
        pendingId: null,
        timeoutSeconds: timed ? timeout : null,
        expiresAt: timed ? new Date(nowMs + timeout * 1000) : null,
        linkedGroup,
        metadata: request.metadata ?? null,
        requestHash,
        journalSeq: seq,
        createdAt: now,
      };
      if (request.kind === 'PENDING') {
        state.pendings.set(record.id, { transfer: record, resolvedBy: null });
        undo?.added.push(record.id);
      }
      return record;
    }

    const pending = state.pendings.get((request as Extract<TransferRequest, { pendingId: string }>).pendingId);
    if (!pending || pending.transfer.kind !== 'PENDING') throw new Refused('PENDING_TRANSFER_NOT_FOUND');
    if (pending.resolvedBy === 'POST') throw new Refused('PENDING_TRANSFER_ALREADY_POSTED');
    if (pending.resolvedBy === 'VOID') throw new Refused('PENDING_TRANSFER_ALREADY_VOIDED');
    if (pending.resolvedBy === 'EXPIRE') throw new Refused('PENDING_TRANSFER_ALREADY_EXPIRED');
    const held = pending.transfer;
    const expired = held.expiresAt !== null && held.expiresAt.getTime() <= nowMs;
    if (request.kind === 'EXPIRE' && !expired) throw new Refused('PENDING_TRANSFER_NOT_EXPIRED');
    if (request.kind !== 'EXPIRE' && expired) throw new Refused('PENDING_TRANSFER_EXPIRED');
    const amount = request.kind === 'POST' ? (request.amount ?? held.amount) : held.amount;
    if (amount <= 0n) throw new Refused('AMOUNT_MUST_BE_POSITIVE');
    if (amount > held.amount) throw new Refused('EXCEEDS_PENDING_AMOUNT');
    const debit = account(held.debitAccountId);
    const credit = account(held.creditAccountId);
    // Releasing the hold and posting at most what was held can never break a guard.
    const posted = request.kind === 'POST' ? amount : 0n;
    // Nor overflow, while posted + pending stays bounded (above); checked anyway, for rows written
    // before that bound existed.
    if (debit.debitsPosted + posted > MAX_COUNTER) throw new Refused('OVERFLOWS_DEBITS_POSTED');
    if (credit.creditsPosted + posted > MAX_COUNTER) throw new Refused('OVERFLOWS_CREDITS_POSTED');
    change(debit, posted, 0n, -held.amount, 0n, undo);
    change(credit, 0n, posted, 0n, -held.amount, undo);
    pending.resolvedBy = request.kind;
    undo?.resolved.push(pending);
    return {
      id: request.id,
      kind: request.kind,
      debitAccountId: held.debitAccountId,
      creditAccountId: held.creditAccountId,
      amount,
      currency: held.currency,
      code: held.code,
      pendingId: held.id,
      timeoutSeconds: null,
      expiresAt: null,
      linkedGroup,
      metadata: request.metadata ?? null,
      requestHash,
      journalSeq: seq,
      createdAt: now,
    };
  };

  const results = jobs.map((job) => {
    if (!job.linked) {
      return job.requests.map((request): TransferResult => {
        try {
          return apply(request, null, null);
        } catch (error) {
          if (!(error instanceof Refused)) throw error;
          return { id: request.id, status: 'FAILED', error: error.code };
        }
      });
    }
    const group = randomUUID();
    const undo: UndoLog = { counters: [], created: 0, resolved: [], added: [] };
    const out: TransferResult[] = [];
    for (const [index, request] of job.requests.entries()) {
      try {
        out.push(apply(request, group, undo));
      } catch (error) {
        if (!(error instanceof Refused)) throw error;
        rollback(undo);
        return job.requests.map((r, i): TransferResult => ({ id: r.id, status: 'FAILED', error: i === index ? error.code : 'LINKED_TRANSFER_FAILED' }));
      }
    }
    return out;
  });

  return { results, created, touched, balancesAfter };
}
