import { deterministicUuid } from './ids';
import { missingRecord, requireIdentity, type Identity } from '@baas/auth';
import { badInput, DomainError, forbidden } from '@baas/errors';
import { createOrReplay, legacyRequestHash, requestFingerprint } from '@baas/idempotency';
import { admitOutflow, authorizeOutflow } from '@baas/policy';
import { amountArg, isUuid } from '@baas/server';
import { LEDGER_CODES, LedgerRefusedError, LedgerUnavailableError, TRANSFER_CODES, type LedgerWrite } from '../clients/ledger/client';
import { assertPlayMoneyDeployment, assertSandboxTenant } from './sandbox';
import type { SagaDeps } from '../runtime';
import type { AccountRow } from './accounts';
import { ensureLedgerAccount } from './open-account';
import { releaseUsage, reserveUsage, tenantLimits } from './limits-store';
import { sagaOutflow, sagaPorts, standingPort } from './outflow-policy';
import { isInfrastructureError, permanentFailureCode } from './saga-errors';
import { notifySagaFinished, waitArg, waitForOutcome } from './saga-wait';
import type { TransferSagaRow } from './types';

export { deterministicUuid };
export { setRiskCheck } from './outflow-policy';

/** How long a transfer's hold lives in the ledger before it expires by itself. */
export const HOLD_TIMEOUT_SECONDS = 300;
export const FINAL_STATES = ['POSTED', 'VOIDED', 'FAILED'] as const;

/** The ledger ids of a saga's writes: deterministic, so every step is safe to repeat (the ledger answers REPLAYED). */
export const ledgerIds = (sagaId: string) => ({
  hold: deterministicUuid(`${sagaId}:hold`),
  post: deterministicUuid(`${sagaId}:post`),
  void: deterministicUuid(`${sagaId}:void`),
  funding: deterministicUuid(`${sagaId}:funding`),
});

/** A positive amount of minor units, as a decimal string: @baas/money's parseAmount (1..2^63 − 1), else BAD_USER_INPUT. */
export function parseAmount(value: string, field = 'amount'): bigint {
  return amountArg(value, field);
}


// ---------------------------------------------------------------------------------------------
// Pluggable parts

/**
 * Drives one saga of a kind this file does not know (FX), under the lease `fence`; registered by its
 * owner. Returns the saga as written, or null when the lease was lost.
 */
export type SagaHandler = (deps: SagaDeps, saga: TransferSagaRow, fence: number) => Promise<TransferSagaRow | null>;
export const sagaHandlers = new Map<string, SagaHandler>();
/** Registers the driver of a saga kind (e.g. 'FX'); recovery and repeats call it for unfinished sagas of that kind. */
export function registerSagaHandler(kind: string, handler: SagaHandler): void {
  sagaHandlers.set(kind, handler);
}

// ---------------------------------------------------------------------------------------------
// Leases

/** A saga row together with the lease we hold on it (`fence`: its attempts when we took it). */
export type Leased = { fence: number; saga: TransferSagaRow };

/**
 * Takes the lease on an unfinished saga: only when nobody holds it (lease_until NULL or past).
 * Returns the saga and the fencing token (the incremented `attempts`), or null when another worker
 * drives it (or it is finished).
 */
export async function acquireLease(deps: SagaDeps, id: string): Promise<Leased | null> {
  const rows = await deps.db.$queryRaw<Record<string, unknown>[]>`
    UPDATE accounts.transfer_saga
    SET lease_until = now() + make_interval(secs => ${deps.config.SAGA_LEASE_SECONDS}::int), attempts = attempts + 1, updated_at = now()
    WHERE id = ${id}::uuid AND state IN ('PENDING', 'HELD') AND (lease_until IS NULL OR lease_until < now())
    RETURNING *`;
  if (!rows[0]) return null;
  const saga = sagaFromSql(rows[0]);
  return { fence: saga.attempts, saga };
}

/** Extends our lease and reads the saga back in the same statement; null when the lease was lost or the saga is finished. */
async function renewLease(deps: SagaDeps, id: string, fence: number): Promise<TransferSagaRow | null> {
  const rows = await deps.db.$queryRaw<Record<string, unknown>[]>`
    UPDATE accounts.transfer_saga SET lease_until = now() + make_interval(secs => ${deps.config.SAGA_LEASE_SECONDS}::int)
    WHERE id = ${id}::uuid AND attempts = ${fence} AND state IN ('PENDING', 'HELD')
    RETURNING *`;
  return rows[0] ? sagaFromSql(rows[0]) : null;
}

/** A raw accounts.transfer_saga row (snake_case) as the Prisma model. */
export function sagaFromSql(r: Record<string, unknown>): TransferSagaRow {
  return {
    id: r.id as string,
    kind: r.kind as string,
    tenantId: r.tenant_id as string,
    customerId: r.customer_id as string,
    fromAccountId: (r.from_account_id as string | null) ?? null,
    toAccountId: r.to_account_id as string,
    amount: BigInt(r.amount as bigint | string),
    currency: r.currency as string,
    description: (r.description as string | null) ?? null,
    state: r.state as string,
    step: (r.step as string | null) ?? null,
    failureCode: (r.failure_code as string | null) ?? null,
    usageDay: (r.usage_day as string | null) ?? null,
    quoteId: (r.quote_id as string | null) ?? null,
    requestHash: r.request_hash as string,
    attempts: Number(r.attempts),
    leaseUntil: (r.lease_until as Date | null) ?? null,
    createdAt: r.created_at as Date,
    updatedAt: r.updated_at as Date,
  };
}

/**
 * Persists a step's outcome under our lease, extending the lease for the next step (or dropping it
 * when the saga is finished), and returns the saga as written: one statement per step. Null when
 * the lease was lost (nothing written).
 */
export async function persist(
  deps: Pick<SagaDeps, 'db' | 'config'>,
  saga: TransferSagaRow,
  fence: number,
  data: { state?: string; step?: string; failureCode?: string | null },
): Promise<TransferSagaRow | null> {
  const state = data.state ?? saga.state;
  const final = (FINAL_STATES as readonly string[]).includes(state);
  const step = data.step ?? saga.step;
  const failureCode = data.failureCode === undefined ? saga.failureCode : data.failureCode;
  const rows = await deps.db.$queryRaw<Record<string, unknown>[]>`
    UPDATE accounts.transfer_saga
    SET state = ${state}, step = ${step}, failure_code = ${failureCode}, updated_at = now(),
        lease_until = CASE WHEN ${final} THEN NULL ELSE now() + make_interval(secs => ${deps.config.SAGA_LEASE_SECONDS}::int) END
    WHERE id = ${saga.id}::uuid AND attempts = ${fence}
    RETURNING *`;
  if (rows[0] && final) notifySagaFinished(saga.id);
  return rows[0] ? sagaFromSql(rows[0]) : null;
}

/** What a step leaves: the saga as written and whether another step follows now; null: the lease was lost. */
type StepResult = { saga: TransferSagaRow; more: boolean } | null;

const next = (saga: TransferSagaRow | null): StepResult => (saga ? { saga, more: !(FINAL_STATES as readonly string[]).includes(saga.state) } : null);
const done = (saga: TransferSagaRow | null): StepResult => (saga ? { saga, more: false } : null);

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

function noteWrite(deps: SagaDeps, accountIds: (string | null)[], write: LedgerWrite | undefined) {
  if (!deps.readModel || !write?.journalSeq) return;
  const ids = accountIds.filter((x): x is string => !!x);
  void deps.readModel.noteWrite(ids, write.journalSeq).catch((error) => deps.logger.warn({ err: error }, 'read model noteWrite failed'));
}

// ---------------------------------------------------------------------------------------------
// Driving a saga

/**
 * Drives an unfinished saga from where it is, under a lease. `held` is a lease already held (a new
 * saga is created leased, and its row is at hand); without one we try to take it, and return the
 * saga as it is when another worker holds it. Each step persists its outcome and extends the lease
 * in one statement, whose returned row drives the next step. Between steps: stop if the process is
 * stopping (as a crash would: recovery finishes the saga), and wait SAGA_STEP_DELAY_MS (test hook;
 * the lease is then renewed after the wait). Infrastructure errors (ledger or database down) also
 * leave the saga where it is for recovery; only business refusals compensate.
 */
export async function driveSaga(deps: SagaDeps, id: string, held?: Leased | null): Promise<TransferSagaRow | null> {
  const lease = held ?? (await acquireLease(deps, id));
  const reread = () => deps.db.transferSaga.findUnique({ where: { id } });
  if (!lease) return reread();
  const { fence } = lease;
  let saga = lease.saga;
  const handler = saga.kind === 'TRANSFER' || saga.kind === 'FUNDING' ? null : sagaHandlers.get(saga.kind);
  if (handler === undefined) {
    deps.logger.warn({ sagaId: id, kind: saga.kind }, 'no handler registered for this saga kind');
    return saga;
  }
  try {
    for (;;) {
      let result: StepResult;
      try {
        if (handler) return (await handler(deps, saga, fence)) ?? (await reread());
        result = saga.kind === 'FUNDING' ? await fundingStep(deps, saga, fence) : await transferStep(deps, saga, fence);
      } catch (error) {
        if (isInfrastructureError(error)) throw error;
        // Permanent: the same step would fail the same way forever. End the saga (compensating a hold).
        const failureCode = permanentFailureCode(error);
        deps.logger.error({ err: error, sagaId: id, failureCode }, 'saga step failed permanently; ending the saga');
        result = await failPermanently(deps, saga, fence, failureCode);
        if (handler) return result?.saga ?? (await reread());
      }
      if (!result) return reread();
      saga = result.saga;
      if (!result.more || !deps.isRunning()) return saga;
      if (deps.config.SAGA_STEP_DELAY_MS > 0) {
        await sleep(deps.config.SAGA_STEP_DELAY_MS);
        if (!deps.isRunning()) return saga;
        const renewed = await renewLease(deps, id, fence);
        if (!renewed) return reread();
        saga = renewed;
      }
    }
  } catch (error) {
    const level = error instanceof LedgerUnavailableError ? 'warn' : 'error';
    deps.logger[level]({ err: error, sagaId: id }, 'saga step failed on infrastructure; recovery will resume it');
    // Give the lease up so the recovery worker resumes the saga at its next pass, not after the lease runs out.
    await deps.db.$executeRaw`UPDATE accounts.transfer_saga SET lease_until = NULL WHERE id = ${id}::uuid AND attempts = ${fence}`.catch(() => undefined);
    return reread().catch(() => saga);
  }
}

/**
 * Ends a saga a permanent error stopped: nothing held (PENDING) → FAILED with the code (an FX
 * execution also gives its quote back); money held → step VOID with the code, so the next step
 * releases the hold; the release itself failing permanently → VOIDED (the ledger expires the hold by
 * itself within HOLD_TIMEOUT_SECONDS). Reserved usage is given back whenever the saga ends.
 */
export async function failPermanently(deps: SagaDeps, saga: TransferSagaRow, fence: number, failureCode: string): Promise<StepResult> {
  if (saga.state === 'HELD' && saga.step !== 'VOID') return next(await persist(deps, saga, fence, { step: 'VOID', failureCode }));
  await releaseUsage(deps.db, saga);
  if (saga.kind === 'FX' && saga.quoteId) {
    await deps.db.fxQuote.updateMany({ where: { id: saga.quoteId, executedBy: saga.id }, data: { executedBy: null } });
  }
  const state = saga.state === 'HELD' ? 'VOIDED' : 'FAILED';
  return done(await persist(deps, saga, fence, { state, failureCode: saga.failureCode ?? failureCode }));
}

/** One step of a TRANSFER saga. */
async function transferStep(deps: SagaDeps, saga: TransferSagaRow, fence: number): Promise<StepResult> {
  const ids = ledgerIds(saga.id);
  const accounts = [saga.fromAccountId, saga.toAccountId];
  if (saga.state === 'PENDING') {
    // (1) HOLD: a pending transfer counts against the available balance at once.
    const [r] = await deps.ledger.createTransfers([
      {
        id: ids.hold,
        debitAccountId: saga.fromAccountId!,
        creditAccountId: saga.toAccountId,
        amount: saga.amount,
        currency: saga.currency,
        code: TRANSFER_CODES.TRANSFER,
        pending: true,
        timeoutSeconds: HOLD_TIMEOUT_SECONDS,
        metadata: { sagaId: saga.id, ...(saga.description ? { description: saga.description } : {}) },
      },
    ]);
    if (r?.status === 'CREATED' || r?.status === 'REPLAYED') {
      noteWrite(deps, accounts, r);
      return next(await persist(deps, saga, fence, { state: 'HELD', step: 'HOLD' }));
    }
    // Refused: nothing is held (the ledger does not store refused transfers).
    return done(await persist(deps, saga, fence, { state: 'FAILED', step: 'HOLD', failureCode: r?.error ?? 'LEDGER_REFUSED' }));
  }
  if (saga.state !== 'HELD') return { saga, more: false };
  switch (saga.step) {
    case 'HOLD':
    case 'RISK':
    case 'LIMITS': {
      // (2) LIMITS then (3) RISK: @baas/policy's outflow path, the same for every rail. The usage is
      // reserved atomically with the move to step LIMITS (exactly once); a saga resumed at LIMITS
      // only asks risk again (safe to repeat). Step RISK is where earlier versions stopped after an
      // approved risk check, before reserving.
      const reserved = saga.step === 'LIMITS';
      let written: TransferSagaRow | null = saga;
      const decision = await authorizeOutflow(
        sagaPorts(deps.db, async () => {
          const row = await reserveSagaUsage(deps, saga, fence);
          written = row;
          return !row || row.failureCode !== 'LIMIT_EXCEEDED' ? { ok: true } : { ok: false, limit: 'DAILY' };
        }),
        sagaOutflow(saga),
        { reserved },
      );
      if (!written) return null; // the lease was lost: whoever holds it drives the saga
      const current: TransferSagaRow = written;
      if (!decision.approved) {
        deps.logger.info({ sagaId: saga.id, code: decision.code, reason: decision.reason }, 'transfer refused by the outflow policy');
        // A daily refusal was written with the reservation (step VOID); a per-transaction one is written here.
        return current.step === 'VOID' ? next(current) : next(await persist(deps, current, fence, { step: 'VOID', failureCode: decision.code }));
      }
      // (4) POST
      const [r] = await deps.ledger.postPending([{ id: ids.post, pendingId: ids.hold }]);
      if (r?.status === 'CREATED' || r?.status === 'REPLAYED') {
        noteWrite(deps, accounts, r);
        return done(await persist(deps, saga, fence, { state: 'POSTED', step: 'POST' }));
      }
      if (r?.error === 'PENDING_TRANSFER_EXPIRED' || r?.error === 'PENDING_TRANSFER_ALREADY_EXPIRED' || r?.error === 'PENDING_TRANSFER_ALREADY_VOIDED') {
        // The hold is gone already: nothing to void.
        await releaseUsage(deps.db, current);
        return done(await persist(deps, current, fence, { state: 'VOIDED', step: 'VOID', failureCode: 'HOLD_EXPIRED' }));
      }
      return next(await persist(deps, current, fence, { step: 'VOID', failureCode: r?.error ?? 'POST_FAILED' }));
    }
    case 'VOID': {
      // Compensation: release the hold, then the reserved usage.
      const [r] = await deps.ledger.voidPending([{ id: ids.void, pendingId: ids.hold }]);
      const gone = r?.status === 'CREATED' || r?.status === 'REPLAYED' || r?.error === 'PENDING_TRANSFER_ALREADY_VOIDED' || r?.error === 'PENDING_TRANSFER_ALREADY_EXPIRED' || r?.error === 'PENDING_TRANSFER_EXPIRED';
      if (r?.error === 'PENDING_TRANSFER_ALREADY_POSTED') {
        // An earlier attempt posted it (and was cut off before recording it): the money moved.
        return done(await persist(deps, saga, fence, { state: 'POSTED', step: 'POST', failureCode: null }));
      }
      if (!gone) {
        // A refusal is permanent (repeating gets the same answer): end it; the ledger expires the hold by itself.
        deps.logger.error({ sagaId: saga.id, error: r?.error }, 'the ledger refused to void a hold; it expires by itself');
        await releaseUsage(deps.db, saga);
        return done(await persist(deps, saga, fence, { state: 'VOIDED', step: 'VOID', failureCode: saga.failureCode ?? r?.error ?? 'VOID_REFUSED' }));
      }
      noteWrite(deps, accounts, r);
      await releaseUsage(deps.db, saga);
      return done(await persist(deps, saga, fence, { state: 'VOIDED', step: 'VOID' }));
    }
    default:
      return { saga, more: false };
  }
}

/**
 * The limits port of a saga (transfer or FX execution): the per-transaction limit, then the daily
 * reservation by accounts.reserve_saga_usage, atomically with the move to step LIMITS. Returns the
 * saga as written (failureCode LIMIT_EXCEEDED and step VOID/state FAILED when refused; a
 * per-transaction refusal writes nothing and comes back as the saga with that code), or null when
 * the lease was lost.
 */
export async function reserveSagaUsage(deps: Pick<SagaDeps, 'db' | 'config'>, saga: TransferSagaRow, fence: number): Promise<TransferSagaRow | null> {
  const limits = await tenantLimits(deps.db, saga.tenantId, saga.currency);
  if (limits.perTransaction != null && saga.amount > limits.perTransaction) return { ...saga, failureCode: 'LIMIT_EXCEEDED' };
  const row = await reserveUsage(deps.db, saga, limits, fence, deps.config.SAGA_LEASE_SECONDS);
  const written = row ? sagaFromSql(row) : null;
  if (written?.state === 'FAILED') notifySagaFinished(written.id);
  return written;
}

/** The single step of a FUNDING saga: one posted transfer from the tenant's sandbox funding account. */
async function fundingStep(deps: SagaDeps, saga: TransferSagaRow, fence: number): Promise<StepResult> {
  if (saga.state !== 'PENDING') return { saga, more: false };
  const source = await ensureSandboxFundingAccount(deps, saga.tenantId, saga.currency);
  const [r] = await deps.ledger.createTransfers([
    { id: ledgerIds(saga.id).funding, debitAccountId: source, creditAccountId: saga.toAccountId, amount: saga.amount, currency: saga.currency, code: TRANSFER_CODES.SANDBOX_FUNDING, metadata: { sagaId: saga.id, description: saga.description ?? 'Sandbox funding' } },
  ]);
  if (r?.status === 'CREATED' || r?.status === 'REPLAYED') {
    noteWrite(deps, [source, saga.toAccountId], r);
    return done(await persist(deps, saga, fence, { state: 'POSTED', step: 'POST' }));
  }
  return done(await persist(deps, saga, fence, { state: 'FAILED', step: 'POST', failureCode: r?.error ?? 'LEDGER_REFUSED' }));
}

const fundingAccounts = new Set<string>();
/** The tenant's sandbox funding ledger account for a currency (deterministic id; created idempotently). */
export async function ensureSandboxFundingAccount(deps: SagaDeps, tenantId: string, currency: string): Promise<string> {
  const id = deterministicUuid(`sandbox-funding:${tenantId}:${currency}`);
  if (fundingAccounts.has(id)) return id;
  const [r] = await deps.ledger.createAccounts([{ id, tenantId, customerId: null, currency, code: LEDGER_CODES.SANDBOX_FUNDING, flags: [] }]);
  // Permanent (the id is taken by an account with other attributes): LedgerRefusedError.
  if (r?.status === 'FAILED') throw new LedgerRefusedError(id, r.error ?? 'LEDGER_REFUSED');
  fundingAccounts.add(id);
  return id;
}

// ---------------------------------------------------------------------------------------------
// Starting sagas

type NewSaga = {
  id: string;
  kind: 'TRANSFER' | 'FUNDING';
  tenantId: string;
  customerId: string;
  fromAccountId: string | null;
  toAccountId: string;
  amount: bigint;
  currency: string;
  description: string | null;
  requestHash: string;
  /** The hash rows written before @baas/idempotency carry for this request (they replay too). */
  legacyHash: string;
  /** A saga refused before anything moved is stored FAILED at once (so repeats agree). */
  failed?: string;
};

/**
 * Creates the saga (leased by this request) or finds the existing one with this id. Returns the row
 * and the lease token when we created it. Same id, different content: IDEMPOTENCY_KEY_REUSED; an id
 * of another tenant or customer: FORBIDDEN (for operators, who act across tenants, a reused key).
 */
async function createOrFind(deps: SagaDeps, who: Identity, s: NewSaga): Promise<{ saga: TransferSagaRow; lease: Leased | null }> {
  const state = s.failed ? 'FAILED' : 'PENDING';
  const failureCode = s.failed ?? null;
  const lease = s.failed ? null : `${deps.config.SAGA_LEASE_SECONDS}`;
  const { row: saga, status } = await createOrReplay<TransferSagaRow>({
    hash: s.requestHash,
    acceptedHashes: [s.legacyHash],
    storedHash: (row) => row.requestHash,
    scope: (row) => row.tenantId === s.tenantId && (who.kind !== 'customer' || row.customerId === who.subject),
    outOfScope: () => (who.kind === 'operator' ? new DomainError('IDEMPOTENCY_KEY_REUSED') : forbidden()),
    // New ids are the rule on this path.
    insertFirst: true,
    find: () => deps.db.transferSaga.findUnique({ where: { id: s.id } }),
    insert: async () => {
      const inserted = await deps.db.$queryRaw<Record<string, unknown>[]>`
        INSERT INTO accounts.transfer_saga (id, kind, tenant_id, customer_id, from_account_id, to_account_id, amount, currency, description, state, failure_code, request_hash, attempts, lease_until, updated_at)
        VALUES (${s.id}::uuid, ${s.kind}, ${s.tenantId}::uuid, ${s.customerId}::uuid, ${s.fromAccountId}::uuid, ${s.toAccountId}::uuid, ${s.amount}::bigint, ${s.currency}, ${s.description},
                ${state}, ${failureCode}, ${s.requestHash}, 1, CASE WHEN ${lease}::int IS NULL THEN NULL ELSE now() + make_interval(secs => ${lease}::int) END, now())
        ON CONFLICT (id) DO NOTHING RETURNING *`;
      return inserted[0] ? sagaFromSql(inserted[0]) : null;
    },
  });
  return { saga, lease: status === 'CREATED' && !s.failed ? { fence: 1, saga } : null };
}

/** Accounts by id in one query, in the order given; each id is checked (and reported by its field) first. */
async function loadAccounts(deps: SagaDeps, who: Identity, wanted: { id: string; field: string }[]): Promise<AccountRow[]> {
  for (const { id, field } of wanted) if (!isUuid(id)) throw badInput(`${field} must be a UUID.`, { field });
  const ids = wanted.map(({ id }) => id.toLowerCase());
  const rows = await deps.db.account.findMany({ where: { id: { in: ids } } });
  return ids.map((id) => {
    const row = rows.find((r) => r.id === id);
    if (!row) throw missingRecord(who, 'Account');
    return row;
  });
}

export type TransferInput = { id: string; fromAccountId: string; toAccountId: string; amount: string; description?: string | null };

/**
 * The `transfer` mutation: validates, creates the saga and drives it (hold, then @baas/policy's
 * outflow path: limits, risk; then post). Input and authorisation problems throw (BAD_USER_INPUT,
 * FORBIDDEN, CURRENCY_MISMATCH, IDEMPOTENCY_KEY_REUSED, STEP_UP_REQUIRED); business refusals are
 * saga outcomes (FAILED or VOIDED with failureCode). A repeat returns the saga as it is now,
 * continuing it when unfinished and free; with `waitMs` (0..10,000) an unfinished saga is waited
 * for until it is final or the time is up (services/saga-wait.ts).
 */
export async function startTransfer(deps: SagaDeps, identity: Identity | null, input: TransferInput, opts: { waitMs?: number | null } = {}): Promise<TransferSagaRow> {
  const who = requireIdentity(identity);
  const waitMs = waitArg(opts.waitMs);
  if (!isUuid(input.id)) throw badInput('id must be a UUID.', { field: 'id' });
  const amount = parseAmount(input.amount);
  const description = input.description ?? null;
  if (description !== null && description.length > 500) throw badInput('description is too long (500 characters at most).', { field: 'description' });
  const [from, to] = (await loadAccounts(deps, who, [
    { id: input.fromAccountId, field: 'fromAccountId' },
    { id: input.toAccountId, field: 'toAccountId' },
  ])) as [AccountRow, AccountRow];
  if (from.id === to.id) throw badInput('The accounts must be different.', { field: 'toAccountId' });

  // Who may move money out of `from` into `to`.
  switch (who.kind) {
    case 'customer':
      if (from.tenantId !== who.tenantId || from.customerId !== who.subject) throw forbidden();
      if (to.tenantId !== who.tenantId) throw forbidden();
      break;
    case 'api_client':
      if (!who.scopes.includes('accounts:write') || from.tenantId !== who.tenantId || to.tenantId !== who.tenantId) throw forbidden();
      break;
    case 'service':
      if (from.tenantId !== to.tenantId) throw forbidden();
      break;
    default:
      throw forbidden();
  }
  if (from.currency !== to.currency) throw new DomainError('CURRENCY_MISMATCH', 'Both accounts must be in the same currency.', { from: from.currency, to: to.currency });

  const id = input.id.toLowerCase();
  const hash = requestFingerprint('transfer/v1', { from: from.id, to: to.id, amount, description });
  // (0, 1) Standing and step-up, the first steps of the outflow path (limits and risk run in the saga,
  // under the hold). A repeat of a transfer already started needs neither; look it up only then.
  try {
    await admitOutflow(standingPort(deps.directory), who, { rail: 'TRANSFER', id, tenantId: from.tenantId, customerId: from.customerId, accountId: from.id, amount, currency: from.currency, createdAt: new Date() });
  } catch (error) {
    if (!(await deps.db.transferSaga.findUnique({ where: { id }, select: { id: true } }))) throw error;
  }

  const failed = accountStateRefusal(from, to);
  if (!failed) {
    await ensureLedgerAccount(deps, from);
    await ensureLedgerAccount(deps, to);
  }
  const { saga, lease } = await createOrFind(deps, who, {
    id,
    kind: 'TRANSFER',
    tenantId: from.tenantId,
    customerId: from.customerId,
    fromAccountId: from.id,
    toAccountId: to.id,
    amount,
    currency: from.currency,
    description,
    requestHash: hash,
    legacyHash: legacyRequestHash({ kind: 'TRANSFER', from: from.id, to: to.id, amount: amount.toString(), description }),
    ...(failed ? { failed } : {}),
  });
  if ((FINAL_STATES as readonly string[]).includes(saga.state)) return saga;
  const driven = (await driveSaga(deps, id, lease)) ?? saga;
  return waitForOutcome(deps.db, driven, waitMs);
}

/**
 * Why an outflow from `from` to `to` cannot happen because of the accounts' states, the same for
 * transfers and FX: the debited account must be ACTIVE (CLOSED → ACCOUNT_CLOSED, FROZEN →
 * ACCOUNT_FROZEN); the credited one must not be CLOSED (ACCOUNT_CLOSED; a FROZEN account still
 * accepts credits). Undefined when both may move.
 */
export function accountStateRefusal(from: Pick<AccountRow, 'status'>, to: Pick<AccountRow, 'status'>): 'ACCOUNT_CLOSED' | 'ACCOUNT_FROZEN' | undefined {
  if (from.status === 'CLOSED') return 'ACCOUNT_CLOSED';
  if (from.status !== 'ACTIVE') return 'ACCOUNT_FROZEN';
  if (to.status === 'CLOSED') return 'ACCOUNT_CLOSED';
  return undefined;
}

export type FundInput = { id: string; accountId: string; amount: string };

/** `fundSandboxAccount`: a deployment allowing play money and an ACTIVE sandbox tenant only; operators, or the account's tenant's client with sandbox:fund. */
export async function fundSandboxAccount(deps: SagaDeps, identity: Identity | null, input: FundInput): Promise<TransferSagaRow> {
  const who = requireIdentity(identity);
  assertPlayMoneyDeployment(deps.config);
  if (!isUuid(input.id)) throw badInput('id must be a UUID.', { field: 'id' });
  const amount = parseAmount(input.amount);
  const [account] = (await loadAccounts(deps, who, [{ id: input.accountId, field: 'accountId' }])) as [AccountRow];
  const allowed = who.kind === 'operator' || (who.kind === 'api_client' && who.tenantId === account.tenantId && who.scopes.includes('sandbox:fund'));
  if (!allowed) throw forbidden();
  // Play money only for an ACTIVE tenant in sandbox mode, as identity says (services/sandbox.ts).
  await assertSandboxTenant(deps, account);
  const id = input.id.toLowerCase();
  const failed = account.status === 'CLOSED' ? 'ACCOUNT_CLOSED' : undefined;
  if (!failed) await ensureLedgerAccount(deps, account);
  const { saga, lease } = await createOrFind(deps, who, {
    id,
    kind: 'FUNDING',
    tenantId: account.tenantId,
    customerId: account.customerId,
    fromAccountId: null,
    toAccountId: account.id,
    amount,
    currency: account.currency,
    description: 'Sandbox funding',
    requestHash: requestFingerprint('funding/v1', { to: account.id, amount }),
    legacyHash: legacyRequestHash({ kind: 'FUNDING', to: account.id, amount: amount.toString() }),
    ...(failed ? { failed } : {}),
  });
  if ((FINAL_STATES as readonly string[]).includes(saga.state)) return saga;
  return (await driveSaga(deps, id, lease)) ?? saga;
}
