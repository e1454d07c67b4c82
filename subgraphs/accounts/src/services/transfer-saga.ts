import { deterministicUuid, requestHash } from './ids';
import { missingRecord, requireIdentity, type Identity } from '@baas/auth';
import { assertStepUp } from '@baas/authz';
import { badInput, DomainError, forbidden } from '@baas/errors';
import { isUuid } from '@baas/server';
import { LEDGER_CODES, LedgerUnavailableError, TRANSFER_CODES, type LedgerWrite } from '../ledger/ledger-client';
import type { SagaDeps } from '../runtime';
import type { AccountRow } from './accounts';
import { ensureLedgerAccount } from './open-account';
import { releaseUsage, reserveUsage, tenantLimits } from './limits-store';
import { createRulesRiskCheck, type RiskCheck } from './risk';
import type { TransferSagaRow } from './types';

export { deterministicUuid, requestHash };

/** How long a transfer's hold lives in the ledger before it expires by itself. */
export const HOLD_TIMEOUT_SECONDS = 300;
export const FINAL_STATES = ['POSTED', 'VOIDED', 'FAILED'] as const;

const MAX_BIGINT = 9_223_372_036_854_775_807n;
const POSITIVE_INTEGER = /^[1-9]\d*$/;

/** The ledger ids of a saga's writes: deterministic, so every step is safe to repeat (the ledger answers REPLAYED). */
export const ledgerIds = (sagaId: string) => ({
  hold: deterministicUuid(`${sagaId}:hold`),
  post: deterministicUuid(`${sagaId}:post`),
  void: deterministicUuid(`${sagaId}:void`),
  funding: deterministicUuid(`${sagaId}:funding`),
});

/** A positive amount of minor units, as a decimal string. */
export function parseAmount(value: string, field = 'amount'): bigint {
  if (typeof value !== 'string' || !POSITIVE_INTEGER.test(value) || BigInt(value) > MAX_BIGINT) {
    throw badInput(`${field} must be a positive integer number of minor units, as a string.`, { field });
  }
  return BigInt(value);
}


// ---------------------------------------------------------------------------------------------
// Pluggable parts

let riskOverride: RiskCheck | null = null;
/** Replaces the risk check (null: back to the built-in rules of services/risk.ts). */
export function setRiskCheck(check: RiskCheck | null): void {
  riskOverride = check;
}

/** Drives one saga of a kind this file does not know (FX); registered by its owner. */
export type SagaHandler = (deps: SagaDeps, saga: TransferSagaRow) => Promise<TransferSagaRow>;
export const sagaHandlers = new Map<string, SagaHandler>();
/** Registers the driver of a saga kind (e.g. 'FX'); recovery and repeats call it for unfinished sagas of that kind. */
export function registerSagaHandler(kind: string, handler: SagaHandler): void {
  sagaHandlers.set(kind, handler);
}

// ---------------------------------------------------------------------------------------------
// Leases

/**
 * Takes the lease on an unfinished saga: only when nobody holds it (lease_until NULL or past).
 * Returns the fencing token (the incremented `attempts`) or null when another worker drives it.
 */
export async function acquireLease(deps: SagaDeps, id: string): Promise<number | null> {
  const rows = await deps.db.$queryRaw<{ attempts: number }[]>`
    UPDATE accounts.transfer_saga
    SET lease_until = now() + make_interval(secs => ${deps.config.SAGA_LEASE_SECONDS}::int), attempts = attempts + 1, updated_at = now()
    WHERE id = ${id}::uuid AND state IN ('PENDING', 'HELD') AND (lease_until IS NULL OR lease_until < now())
    RETURNING attempts`;
  return rows[0]?.attempts ?? null;
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
function sagaFromSql(r: Record<string, unknown>): TransferSagaRow {
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

/** Persists a step's outcome under our lease. Returns false when the lease was lost (nothing written). */
async function persist(
  deps: SagaDeps,
  saga: TransferSagaRow,
  fence: number,
  data: { state?: string; step?: string; failureCode?: string | null },
): Promise<boolean> {
  const final = data.state !== undefined && (FINAL_STATES as readonly string[]).includes(data.state);
  const result = await deps.db.transferSaga.updateMany({
    where: { id: saga.id, attempts: fence },
    data: { ...data, updatedAt: new Date(), ...(final ? { leaseUntil: null } : {}) },
  });
  return result.count === 1;
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

function noteWrite(deps: SagaDeps, accountIds: (string | null)[], write: LedgerWrite | undefined) {
  if (!deps.readModel || !write?.journalSeq) return;
  const ids = accountIds.filter((x): x is string => !!x);
  void deps.readModel.noteWrite(ids, write.journalSeq).catch((error) => deps.logger.warn({ err: error }, 'read model noteWrite failed'));
}

// ---------------------------------------------------------------------------------------------
// Driving a saga

/**
 * Drives an unfinished saga from where it is, under a lease. `fence` is a lease already held (a new
 * saga is created leased); without one we try to take it, and return the saga as it is when another
 * worker holds it. Between steps: stop if the process is stopping (as a crash would: recovery finishes
 * the saga), and wait SAGA_STEP_DELAY_MS (test hook). Infrastructure errors (ledger or database down)
 * also leave the saga where it is for recovery; only business refusals compensate.
 */
export async function driveSaga(deps: SagaDeps, id: string, fence?: number | null): Promise<TransferSagaRow | null> {
  const token = fence ?? (await acquireLease(deps, id));
  if (token === null) return deps.db.transferSaga.findUnique({ where: { id } });
  const saga = await deps.db.transferSaga.findUnique({ where: { id } });
  if (!saga) return null;
  if (saga.kind !== 'TRANSFER' && saga.kind !== 'FUNDING') {
    const handler = sagaHandlers.get(saga.kind);
    if (!handler) {
      deps.logger.warn({ sagaId: id, kind: saga.kind }, 'no handler registered for this saga kind');
      return saga;
    }
    return handler(deps, saga);
  }
  try {
    let first = true;
    for (;;) {
      if (!first) {
        if (!deps.isRunning()) return deps.db.transferSaga.findUnique({ where: { id } });
        if (deps.config.SAGA_STEP_DELAY_MS > 0) await sleep(deps.config.SAGA_STEP_DELAY_MS);
        if (!deps.isRunning()) return deps.db.transferSaga.findUnique({ where: { id } });
      }
      first = false;
      const current = await renewLease(deps, id, token);
      if (!current) return deps.db.transferSaga.findUnique({ where: { id } });
      const progressed = current.kind === 'FUNDING' ? await fundingStep(deps, current, token) : await transferStep(deps, current, token);
      if (!progressed) return deps.db.transferSaga.findUnique({ where: { id } });
    }
  } catch (error) {
    const level = error instanceof LedgerUnavailableError ? 'warn' : 'error';
    deps.logger[level]({ err: error, sagaId: id }, 'saga step failed; recovery will resume it');
    // Give the lease up so the recovery worker resumes the saga at its next pass, not after the lease runs out.
    await deps.db.$executeRaw`UPDATE accounts.transfer_saga SET lease_until = NULL WHERE id = ${id}::uuid AND attempts = ${token}`.catch(() => undefined);
    return deps.db.transferSaga.findUnique({ where: { id } }).catch(() => saga);
  }
}

/** One step of a TRANSFER saga. Returns false when there is nothing more to do now. */
async function transferStep(deps: SagaDeps, saga: TransferSagaRow, fence: number): Promise<boolean> {
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
      return persist(deps, saga, fence, { state: 'HELD', step: 'HOLD' });
    }
    // Refused: nothing is held (the ledger does not store refused transfers).
    await persist(deps, saga, fence, { state: 'FAILED', step: 'HOLD', failureCode: r?.error ?? 'LEDGER_REFUSED' });
    return false;
  }
  if (saga.state !== 'HELD') return false;
  switch (saga.step) {
    case 'HOLD': {
      // (2) RISK
      const decision = await (riskOverride ?? createRulesRiskCheck(deps.db))(saga);
      if (!decision.approved) {
        deps.logger.info({ sagaId: saga.id, reason: decision.reason }, 'transfer declined by risk');
        return persist(deps, saga, fence, { step: 'VOID', failureCode: 'RISK_DECLINED' });
      }
      return persist(deps, saga, fence, { step: 'RISK' });
    }
    case 'RISK': {
      // (3) LIMITS: reserved atomically with the step change (exactly once).
      const limits = await tenantLimits(deps.db, saga.tenantId, saga.currency);
      const reserved = await reserveUsage(deps.db, saga, limits, fence);
      if (reserved === null) return false;
      if (!reserved.ok) return persist(deps, saga, fence, { step: 'VOID', failureCode: 'LIMIT_EXCEEDED' });
      return true;
    }
    case 'LIMITS': {
      // (4) POST
      const [r] = await deps.ledger.postPending([{ id: ids.post, pendingId: ids.hold }]);
      if (r?.status === 'CREATED' || r?.status === 'REPLAYED') {
        noteWrite(deps, accounts, r);
        await persist(deps, saga, fence, { state: 'POSTED', step: 'POST' });
        return false;
      }
      if (r?.error === 'PENDING_TRANSFER_EXPIRED' || r?.error === 'PENDING_TRANSFER_ALREADY_EXPIRED' || r?.error === 'PENDING_TRANSFER_ALREADY_VOIDED') {
        // The hold is gone already: nothing to void.
        await releaseUsage(deps.db, saga);
        await persist(deps, saga, fence, { state: 'VOIDED', step: 'VOID', failureCode: 'HOLD_EXPIRED' });
        return false;
      }
      return persist(deps, saga, fence, { step: 'VOID', failureCode: r?.error ?? 'POST_FAILED' });
    }
    case 'VOID': {
      // Compensation: release the hold, then the reserved usage.
      const [r] = await deps.ledger.voidPending([{ id: ids.void, pendingId: ids.hold }]);
      const gone = r?.status === 'CREATED' || r?.status === 'REPLAYED' || r?.error === 'PENDING_TRANSFER_ALREADY_VOIDED' || r?.error === 'PENDING_TRANSFER_ALREADY_EXPIRED' || r?.error === 'PENDING_TRANSFER_EXPIRED';
      if (!gone) {
        deps.logger.error({ sagaId: saga.id, error: r?.error }, 'the ledger refused to void a hold');
        return false;
      }
      noteWrite(deps, accounts, r);
      await releaseUsage(deps.db, saga);
      await persist(deps, saga, fence, { state: 'VOIDED', step: 'VOID' });
      return false;
    }
    default:
      return false;
  }
}

/** The single step of a FUNDING saga: one posted transfer from the tenant's sandbox funding account. */
async function fundingStep(deps: SagaDeps, saga: TransferSagaRow, fence: number): Promise<boolean> {
  if (saga.state !== 'PENDING') return false;
  const source = await ensureSandboxFundingAccount(deps, saga.tenantId, saga.currency);
  const [r] = await deps.ledger.createTransfers([
    { id: ledgerIds(saga.id).funding, debitAccountId: source, creditAccountId: saga.toAccountId, amount: saga.amount, currency: saga.currency, code: TRANSFER_CODES.SANDBOX_FUNDING, metadata: { sagaId: saga.id } },
  ]);
  if (r?.status === 'CREATED' || r?.status === 'REPLAYED') {
    noteWrite(deps, [source, saga.toAccountId], r);
    await persist(deps, saga, fence, { state: 'POSTED', step: 'POST' });
  } else {
    await persist(deps, saga, fence, { state: 'FAILED', step: 'POST', failureCode: r?.error ?? 'LEDGER_REFUSED' });
  }
  return false;
}

const fundingAccounts = new Set<string>();
/** The tenant's sandbox funding ledger account for a currency (deterministic id; created idempotently). */
export async function ensureSandboxFundingAccount(deps: SagaDeps, tenantId: string, currency: string): Promise<string> {
  const id = deterministicUuid(`sandbox-funding:${tenantId}:${currency}`);
  if (fundingAccounts.has(id)) return id;
  const [r] = await deps.ledger.createAccounts([{ id, tenantId, customerId: null, currency, code: LEDGER_CODES.SANDBOX_FUNDING, flags: [] }]);
  if (r?.status === 'FAILED') throw new Error(`ledger refused the sandbox funding account: ${r.error}`);
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
  /** A saga refused before anything moved is stored FAILED at once (so repeats agree). */
  failed?: string;
};

/**
 * Creates the saga (leased by this request) or finds the existing one with this id. Returns the row
 * and the lease token when we created it. Same id, different content: IDEMPOTENCY_KEY_REUSED; an id
 * of another tenant or customer: FORBIDDEN.
 */
async function createOrFind(deps: SagaDeps, who: Identity, s: NewSaga): Promise<{ saga: TransferSagaRow; fence: number | null }> {
  const state = s.failed ? 'FAILED' : 'PENDING';
  const failureCode = s.failed ?? null;
  const lease = s.failed ? null : `${deps.config.SAGA_LEASE_SECONDS}`;
  const inserted = await deps.db.$queryRaw<{ id: string }[]>`
    INSERT INTO accounts.transfer_saga (id, kind, tenant_id, customer_id, from_account_id, to_account_id, amount, currency, description, state, failure_code, request_hash, attempts, lease_until, updated_at)
    VALUES (${s.id}::uuid, ${s.kind}, ${s.tenantId}::uuid, ${s.customerId}::uuid, ${s.fromAccountId}::uuid, ${s.toAccountId}::uuid, ${s.amount}::bigint, ${s.currency}, ${s.description},
            ${state}, ${failureCode}, ${s.requestHash}, 1, CASE WHEN ${lease}::int IS NULL THEN NULL ELSE now() + make_interval(secs => ${lease}::int) END, now())
    ON CONFLICT (id) DO NOTHING RETURNING id`;
  const saga = await deps.db.transferSaga.findUniqueOrThrow({ where: { id: s.id } });
  if (inserted.length) return { saga, fence: s.failed ? null : 1 };
  if (saga.tenantId !== s.tenantId || (who.kind === 'customer' && saga.customerId !== who.subject)) throw forbidden();
  if (saga.requestHash !== s.requestHash) throw new DomainError('IDEMPOTENCY_KEY_REUSED');
  return { saga, fence: null };
}

async function loadAccount(deps: SagaDeps, who: Identity, id: string, field: string): Promise<AccountRow> {
  if (!isUuid(id)) throw badInput(`${field} must be a UUID.`, { field });
  const row = await deps.db.account.findUnique({ where: { id: id.toLowerCase() } });
  if (!row) throw missingRecord(who, 'Account');
  return row;
}

export type TransferInput = { id: string; fromAccountId: string; toAccountId: string; amount: string; description?: string | null };

/**
 * The `transfer` mutation: validates, creates the saga and drives it (hold, risk, limits, post).
 * Input and authorisation problems throw (BAD_USER_INPUT, FORBIDDEN, CURRENCY_MISMATCH,
 * IDEMPOTENCY_KEY_REUSED, STEP_UP_REQUIRED); business refusals are saga outcomes (FAILED or VOIDED
 * with failureCode). A repeat returns the saga as it is now, continuing it when unfinished and free.
 */
export async function startTransfer(deps: SagaDeps, identity: Identity | null, input: TransferInput): Promise<TransferSagaRow> {
  const who = requireIdentity(identity);
  if (!isUuid(input.id)) throw badInput('id must be a UUID.', { field: 'id' });
  const amount = parseAmount(input.amount);
  const description = input.description ?? null;
  if (description !== null && description.length > 500) throw badInput('description is too long (500 characters at most).', { field: 'description' });
  const from = await loadAccount(deps, who, input.fromAccountId, 'fromAccountId');
  const to = await loadAccount(deps, who, input.toAccountId, 'toAccountId');
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
  const hash = requestHash({ kind: 'TRANSFER', from: from.id, to: to.id, amount: amount.toString(), description });
  const existing = await deps.db.transferSaga.findUnique({ where: { id } });
  if (!existing && who.kind === 'customer') assertStepUp(who, 'LARGE_TRANSFER', amount);

  const failed = from.status !== 'ACTIVE' ? 'ACCOUNT_FROZEN' : to.status === 'CLOSED' ? 'ACCOUNT_CLOSED' : undefined;
  if (!failed) {
    await ensureLedgerAccount(deps, from);
    await ensureLedgerAccount(deps, to);
  }
  const { saga, fence } = await createOrFind(deps, who, {
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
    ...(failed ? { failed } : {}),
  });
  if ((FINAL_STATES as readonly string[]).includes(saga.state)) return saga;
  return (await driveSaga(deps, id, fence)) ?? saga;
}

export type FundInput = { id: string; accountId: string; amount: string };

/** `fundSandboxAccount`: sandbox only; operators, or the account's tenant's client with sandbox:fund. */
export async function fundSandboxAccount(deps: SagaDeps, identity: Identity | null, input: FundInput): Promise<TransferSagaRow> {
  const who = requireIdentity(identity);
  if (!deps.config.SANDBOX) throw forbidden('Funding is only available in a sandbox.');
  if (!isUuid(input.id)) throw badInput('id must be a UUID.', { field: 'id' });
  const amount = parseAmount(input.amount);
  const account = await loadAccount(deps, who, input.accountId, 'accountId');
  const allowed = who.kind === 'operator' || (who.kind === 'api_client' && who.tenantId === account.tenantId && who.scopes.includes('sandbox:fund'));
  if (!allowed) throw forbidden();
  const id = input.id.toLowerCase();
  const failed = account.status === 'CLOSED' ? 'ACCOUNT_CLOSED' : undefined;
  if (!failed) await ensureLedgerAccount(deps, account);
  const { saga, fence } = await createOrFind(deps, who, {
    id,
    kind: 'FUNDING',
    tenantId: account.tenantId,
    customerId: account.customerId,
    fromAccountId: null,
    toAccountId: account.id,
    amount,
    currency: account.currency,
    description: 'Sandbox funding',
    requestHash: requestHash({ kind: 'FUNDING', to: account.id, amount: amount.toString() }),
    ...(failed ? { failed } : {}),
  }).catch((error: unknown) => {
    // Operators act across tenants: a tenant mismatch there is a reused key.
    if (who.kind === 'operator' && error instanceof DomainError && error.code === 'FORBIDDEN') throw new DomainError('IDEMPOTENCY_KEY_REUSED');
    throw error;
  });
  if ((FINAL_STATES as readonly string[]).includes(saga.state)) return saga;
  return (await driveSaga(deps, id, fence)) ?? saga;
}
