import { deterministicUuid } from './ids';
import { missingRecord, requireIdentity, type Identity } from '@baas/auth';
import { badInput, DomainError, forbidden } from '@baas/errors';
import { createOrReplay, legacyRequestHash, requestFingerprint } from '@baas/idempotency';
import { isAmountInRange, isMoneyError } from '@baas/money';
import { admitOutflow, authorizeOutflow, screenOutflow, type Outflow } from '@baas/policy';
import { amountArg, isUuid } from '@baas/server';
import { quote as priceQuote } from '../domain/fx';
import { LEDGER_CODES, LedgerRefusedError, TRANSFER_CODES, type NewTransfer } from '../clients/ledger/client';
import type { AccountsConfig } from '../config';
import type { PrismaClient } from '../generated/prisma/client';
import type { SagaDeps } from '../runtime';
import type { AccountRow } from './accounts';
import { releaseUsage } from './limits-store';
import { ensureLedgerAccount } from './open-account';
import { sagaOutflow, sagaPorts, screeningPorts, standingPort } from './outflow-policy';
import type { RateProvider } from './rates';
import { waitArg, waitForOutcome } from './saga-wait';
import { accountStateRefusal, driveSaga, persist, reserveSagaUsage } from './transfer-saga';
import type { FxQuoteRow, TransferSagaRow } from './types';


/**
 * The platform's FX liquidity ledger account for a currency: id derived from 'fx-liquidity:' + currency, no
 * tenant, code FX_LIQUIDITY and no balance flags, so it may go negative. It only books the platform's side of
 * customer conversions; real liquidity (the nostro balances that back it) is funded and reconciled by treasury
 * outside this subgraph.
 */
export const fxLiquidityAccountId = (currency: string) => deterministicUuid(`fx-liquidity:${currency.toUpperCase()}`);

/** Ledger transfer ids of an FX saga (same on every retry, so re-submitting the batch only replays it). */
export const fxTransferIds = (sagaId: string) => ({ sell: deterministicUuid(`fx-saga:${sagaId}:sell`), buy: deterministicUuid(`fx-saga:${sagaId}:buy`) });

/** OPEN, EXECUTED (by a posted execution) or EXPIRED. */
export function quoteStatus(row: FxQuoteRow, now = new Date()): 'OPEN' | 'EXECUTED' | 'EXPIRED' {
  if (row.executedBy) return 'EXECUTED';
  return row.expiresAt.getTime() <= now.getTime() ? 'EXPIRED' : 'OPEN';
}

type QuoteDeps = { db: PrismaClient; ledger: SagaDeps['ledger']; directory: SagaDeps['directory']; config: AccountsConfig; rates: RateProvider; loaders: { account: { load(id: string): Promise<AccountRow | null | undefined> } } };

/** Whether the caller acts for `owner`: the customer itself, or its tenant's API client with accounts:write. */
function actsFor(who: Identity, owner: { tenantId: string; customerId: string }): boolean {
  if (who.kind === 'customer') return who.tenantId === owner.tenantId && who.subject === owner.customerId;
  if (who.kind === 'api_client') return who.tenantId === owner.tenantId && who.scopes.includes('accounts:write');
  return false;
}

async function loadAccount(deps: QuoteDeps, who: Identity, id: string, field: string): Promise<AccountRow> {
  if (!isUuid(id)) throw badInput(`${field} must be a UUID.`, { field });
  const row = await deps.loaders.account.load(id.toLowerCase());
  if (!row) throw missingRecord(who, 'Account');
  if (!actsFor(who, row)) throw forbidden();
  return row;
}

/**
 * The accounts' states, checked as for transfers (accountStateRefusal): the sold-from account must
 * be ACTIVE (ACCOUNT_CLOSED, ACCOUNT_FROZEN), the bought-into one not CLOSED (ACCOUNT_CLOSED; a
 * frozen account still accepts credits). Errors here: a quote or an execution refused before
 * anything is claimed is not a fact worth keeping.
 */
function assertMayConvert(from: AccountRow, to: AccountRow): void {
  const refusal = accountStateRefusal(from, to);
  if (!refusal) return;
  const field = refusal === 'ACCOUNT_FROZEN' || from.status !== 'ACTIVE' ? 'fromAccountId' : 'toAccountId';
  throw new DomainError(refusal, refusal === 'ACCOUNT_CLOSED' ? 'The account is closed.' : 'The account is frozen.', { field });
}

function optionalAmount(value: string | null | undefined, field: string): bigint | undefined {
  return value === null || value === undefined ? undefined : amountArg(value, field);
}

/** What an execution of the quote takes out of the customer's account, for the policy path. */
function quoteOutflow(quote: Pick<FxQuoteRow, 'tenantId' | 'customerId' | 'fromAccountId' | 'sellAmount' | 'sellCurrency'>, id: string): Outflow {
  return { rail: 'FX', id, tenantId: quote.tenantId, customerId: quote.customerId, accountId: quote.fromAccountId, amount: quote.sellAmount, currency: quote.sellCurrency, createdAt: new Date() };
}

/**
 * Prices a conversion between two ACTIVE accounts of one customer in different currencies and stores the quote,
 * valid for FX_QUOTE_TTL_SECONDS. The id is the idempotency key: the same request returns the stored quote (even
 * after it expired), another request under the same id is IDEMPOTENCY_KEY_REUSED.
 */
export async function quoteFx(
  deps: QuoteDeps,
  identity: Identity | null,
  input: { id: string; fromAccountId: string; toAccountId: string; sellAmount?: string | null; buyAmount?: string | null },
): Promise<FxQuoteRow> {
  const who = requireIdentity(identity);
  if (who.kind !== 'customer' && who.kind !== 'api_client') throw forbidden();
  if (!isUuid(input.id)) throw badInput('id must be a UUID.', { field: 'id' });
  const id = input.id.toLowerCase();
  const sell = optionalAmount(input.sellAmount, 'sellAmount');
  const buy = optionalAmount(input.buyAmount, 'buyAmount');
  if ((sell === undefined) === (buy === undefined)) throw badInput('Give exactly one of sellAmount and buyAmount.', { field: 'sellAmount' });

  const from = await loadAccount(deps, who, input.fromAccountId, 'fromAccountId');
  const to = await loadAccount(deps, who, input.toAccountId, 'toAccountId');
  if (from.customerId !== to.customerId || from.tenantId !== to.tenantId) throw badInput('Both accounts must belong to the same customer.', { field: 'toAccountId' });
  if (from.currency === to.currency) throw new DomainError('CURRENCY_MISMATCH', 'A conversion needs two accounts in different currencies.', { field: 'toAccountId' });

  const owner = { tenantId: from.tenantId, customerId: from.customerId };
  const hash = requestFingerprint('fx-quote/v1', { ...owner, from: from.id, to: to.id, sell: sell ?? null, buy: buy ?? null });
  const { row } = await createOrReplay({
    hash,
    // Rows written before @baas/idempotency.
    acceptedHashes: [legacyRequestHash({ ...owner, from: from.id, to: to.id, sell: sell?.toString() ?? null, buy: buy?.toString() ?? null })],
    storedHash: (row) => row.requestHash,
    scope: (row) => row.tenantId === who.tenantId,
    outOfScope: () => forbidden(),
    find: () => deps.db.fxQuote.findUnique({ where: { id } }),
    insert: () => priceAndStoreQuote(deps, who, { id, from, to, sell, buy, hash }),
  });
  return row;
}

/** Prices the quote, passes the outflow path ahead of time and stores it; null when a concurrent request stored one under the id first. */
async function priceAndStoreQuote(
  deps: QuoteDeps,
  who: Identity,
  { id, from, to, sell, buy, hash }: { id: string; from: AccountRow; to: AccountRow; sell: bigint | undefined; buy: bigint | undefined; hash: string },
): Promise<FxQuoteRow | null> {
  assertMayConvert(from, to);
  const { midRate } = await deps.rates(from.currency, to.currency);
  let priced;
  try {
    priced = priceQuote({
      from: from.currency,
      to: to.currency,
      midRate,
      spreadBps: deps.config.FX_SPREAD_BPS,
      ...(sell !== undefined ? { sellAmountMinor: sell } : { buyAmountMinor: buy! }),
    });
  } catch (error) {
    if (isMoneyError(error)) throw badInput(error.message, { field: sell !== undefined ? 'sellAmount' : 'buyAmount', reason: error.code });
    throw error;
  }
  // A buy amount can price to a sell amount (or the reverse) no account could ever hold.
  for (const [field, amount] of [['sellAmount', priced.sellAmount.amount], ['buyAmount', priced.buyAmount.amount]] as const) {
    if (!isAmountInRange(amount)) throw badInput(`${field} is out of range once converted.`, { field });
  }
  // The outflow path ahead of time (step-up, limits, risk; read only): a quote the customer could
  // never execute is refused now, with the codes execution would give. Execution passes it again.
  await screenOutflow(screeningPorts(deps.db, deps.directory), who, quoteOutflow({ tenantId: from.tenantId, customerId: from.customerId, fromAccountId: from.id, sellAmount: priced.sellAmount.amount, sellCurrency: from.currency }, id));
  const expiresAt = new Date(Date.now() + deps.config.FX_QUOTE_TTL_SECONDS * 1000);
  const inserted = await deps.db.$executeRaw`
    INSERT INTO accounts.fx_quote (id, tenant_id, customer_id, from_account_id, to_account_id, sell_amount, sell_currency, buy_amount, buy_currency,
                                   mid_rate, rate, spread_bps, spread_amount, expires_at, request_hash)
    VALUES (${id}::uuid, ${from.tenantId}::uuid, ${from.customerId}::uuid, ${from.id}::uuid, ${to.id}::uuid, ${priced.sellAmount.amount}, ${from.currency},
            ${priced.buyAmount.amount}, ${to.currency}, ${priced.midRate}, ${priced.rate}, ${priced.spreadBps}, ${priced.spreadAmount.amount}, ${expiresAt}, ${hash})
    ON CONFLICT (id) DO NOTHING`;
  return inserted ? deps.db.fxQuote.findUniqueOrThrow({ where: { id } }) : null;
}

/** A quote the caller may read (Query.fxQuote): null for an id that is not a UUID. */
export async function getVisibleQuote(db: PrismaClient, identity: Identity | null, id: string): Promise<FxQuoteRow> {
  const who = requireIdentity(identity);
  const row = isUuid(id) ? await db.fxQuote.findUnique({ where: { id: id.toLowerCase() } }) : null;
  if (!row) throw missingRecord(who, 'FX quote');
  const sees = who.kind === 'operator' || who.kind === 'service' || (who.tenantId === row.tenantId && (who.kind === 'api_client' || who.subject === row.customerId));
  if (!sees) throw forbidden();
  return row;
}

type ExecuteDeps = SagaDeps & QuoteDeps;

/**
 * Executes a quote: the saga id is the idempotency key (a repeat returns the same saga, resuming it if a crash
 * left it PENDING; with `waitMs`, waiting for its outcome as transfers do). Refused: an expired quote (CONFLICT,
 * reason QUOTE_EXPIRED), a quote another execution already claimed (CONFLICT, reason QUOTE_ALREADY_EXECUTED),
 * accounts that may not move (ACCOUNT_CLOSED, ACCOUNT_FROZEN) and a missing step-up (STEP_UP_REQUIRED: the
 * policy path's first step, judged on the executing session). The claim on the quote and the saga row are
 * written in one transaction; then the saga (runFxSaga) passes the policy path's limits and risk, and the two
 * legs go to the ledger as ONE linked batch (both or neither):
 *   customer from-account → FX liquidity (sell currency), sell amount, code FX_SELL
 *   FX liquidity (buy currency) → customer to-account, buy amount, code FX_BUY
 * A refusal (LIMIT_EXCEEDED, RISK_DECLINED, INSUFFICIENT_FUNDS or any refusal of the batch) ends the saga
 * FAILED with that failureCode and releases the quote, so it can be executed again (under another id) before
 * it expires.
 */
export async function executeFxQuote(deps: ExecuteDeps, identity: Identity | null, input: { id: string; quoteId: string; waitMs?: number | null }): Promise<TransferSagaRow> {
  const who = requireIdentity(identity);
  if (who.kind !== 'customer' && who.kind !== 'api_client') throw forbidden();
  const waitMs = waitArg(input.waitMs);
  if (!isUuid(input.id)) throw badInput('id must be a UUID.', { field: 'id' });
  if (!isUuid(input.quoteId)) throw badInput('quoteId must be a UUID.', { field: 'quoteId' });
  const id = input.id.toLowerCase();
  const quoteId = input.quoteId.toLowerCase();
  const hash = requestFingerprint('fx-execution/v1', { quoteId });
  const { row: saga, status } = await createOrReplay<TransferSagaRow>({
    hash,
    // Rows written before @baas/idempotency.
    acceptedHashes: [legacyRequestHash({ kind: 'FX', quoteId })],
    // The saga table holds transfers and fundings too: their ids are other requests.
    storedHash: (row) => (row.kind === 'FX' ? row.requestHash : null),
    scope: (row) => row.tenantId === who.tenantId && actsFor(who, row),
    outOfScope: () => forbidden(),
    find: () => deps.db.transferSaga.findUnique({ where: { id } }),
    insert: () => claimQuote(deps, who, { id, quoteId, hash }),
  });
  if (status === 'REPLAYED') {
    // A repeat resumes a saga a crash left PENDING.
    const current = saga.state === 'PENDING' ? ((await driveSaga(deps, id)) ?? saga) : saga;
    return waitForOutcome(deps.db, current, waitMs);
  }
  if (saga.state !== 'PENDING') return saga;
  const driven = (await driveSaga(deps, id, { fence: saga.attempts, saga })) ?? saga;
  return waitForOutcome(deps.db, driven, waitMs);
}

/**
 * Claims the quote for execution `id` and creates its saga, in one transaction, after the checks a
 * new execution passes. Null when a concurrent request with this id claimed it first (its saga is
 * the answer); CONFLICT when another execution did, or the quote expired.
 */
async function claimQuote(deps: ExecuteDeps, who: Identity, { id, quoteId, hash }: { id: string; quoteId: string; hash: string }): Promise<TransferSagaRow | null> {
  const quote = await deps.db.fxQuote.findUnique({ where: { id: quoteId } });
  if (!quote) throw missingRecord(who, 'FX quote');
  if (!actsFor(who, quote)) throw forbidden();
  const refuse = (q: FxQuoteRow) => {
    if (q.executedBy && q.executedBy !== id) throw new DomainError('CONFLICT', 'The quote was already executed.', { reason: 'QUOTE_ALREADY_EXECUTED' });
    if (q.expiresAt.getTime() <= Date.now()) throw new DomainError('CONFLICT', 'The quote has expired: ask for a new one.', { reason: 'QUOTE_EXPIRED', expiresAt: q.expiresAt.toISOString() });
  };
  refuse(quote);
  const [from, to] = await Promise.all([deps.loaders.account.load(quote.fromAccountId), deps.loaders.account.load(quote.toAccountId)]);
  if (!from || !to) throw new DomainError('CONFLICT', 'An account of the quote no longer exists.');
  assertMayConvert(from, to);
  // (0, 1) Standing and step-up, on the session that executes (a quote asked for earlier does not carry it over).
  await admitOutflow(standingPort(deps.directory), who, quoteOutflow(quote, id));

  return deps.db.$transaction(async (tx) => {
    const claimed = await tx.fxQuote.updateMany({ where: { id: quoteId, executedBy: null, expiresAt: { gt: new Date() } }, data: { executedBy: id } });
    if (claimed.count === 0) {
      // Lost the claim: to a concurrent request with this id (its saga is committed with the claim), another execution, or the clock.
      const now = await tx.fxQuote.findUniqueOrThrow({ where: { id: quoteId } });
      if (now.executedBy === id) return null;
      refuse(now);
      throw new DomainError('CONFLICT', 'The quote changed meanwhile: read it and try again.');
    }
    return tx.transferSaga.create({
      data: {
        id,
        kind: 'FX',
        tenantId: quote.tenantId,
        customerId: quote.customerId,
        fromAccountId: quote.fromAccountId,
        toAccountId: quote.toAccountId,
        amount: quote.sellAmount,
        currency: quote.sellCurrency,
        description: `FX ${quote.sellCurrency}→${quote.buyCurrency}`,
        state: 'PENDING',
        quoteId,
        requestHash: hash,
        // Created leased by this request (fence 1), as transfers are.
        attempts: 1,
        leaseUntil: new Date(Date.now() + deps.config.SAGA_LEASE_SECONDS * 1000),
      },
    });
  });
}

/**
 * The FX saga driver (registered with the saga engine for kind FX): recovery and repeats resume a
 * saga left PENDING under a lease `fence`. Re-reads the saga first, so a stale row does nothing.
 */
export async function resumeFxSaga(deps: SagaDeps, saga: TransferSagaRow, fence: number): Promise<TransferSagaRow | null> {
  if (saga.kind !== 'FX') return saga;
  const current = await deps.db.transferSaga.findUnique({ where: { id: saga.id } });
  if (!current || current.state !== 'PENDING') return current;
  return runFxSaga(deps, current, fence);
}

type FxSagaDeps = Pick<SagaDeps, 'db' | 'ledger' | 'readModel' | 'config'> & Partial<Pick<SagaDeps, 'logger'>>;

/** Ends an FX saga FAILED under the lease, giving back its reserved usage and its quote. */
async function failFx(deps: FxSagaDeps, saga: TransferSagaRow, fence: number, failureCode: string): Promise<TransferSagaRow | null> {
  await releaseUsage(deps.db, saga);
  await deps.db.fxQuote.updateMany({ where: { id: saga.quoteId!, executedBy: saga.id }, data: { executedBy: null } });
  return persist(deps, saga, fence, { state: 'FAILED', failureCode });
}

/**
 * One FX execution, PENDING → POSTED or FAILED: (2) limits, reserved atomically with the move to
 * step LIMITS, then (3) risk (@baas/policy's authorizeOutflow, as transfers), then the linked batch.
 * A saga resumed at step LIMITS only asks risk again. Ledger or database trouble throws (the saga
 * engine leaves it PENDING for recovery); a permanent error ends it FAILED (failPermanently).
 */
async function runFxSaga(deps: FxSagaDeps, saga: TransferSagaRow, fence: number): Promise<TransferSagaRow | null> {
  if (!saga.quoteId || !saga.fromAccountId) throw new Error(`FX saga ${saga.id} has no quote`);
  let written: TransferSagaRow | null = saga;
  const decision = await authorizeOutflow(
    sagaPorts(deps.db, async () => {
      const row = await reserveSagaUsage(deps, saga, fence);
      written = row;
      return !row || row.failureCode !== 'LIMIT_EXCEEDED' ? { ok: true } : { ok: false, limit: 'DAILY' };
    }),
    sagaOutflow(saga),
    { reserved: saga.step === 'LIMITS' },
  );
  if (!written) return null;
  let current: TransferSagaRow = written;
  if (!decision.approved) {
    deps.logger?.info({ sagaId: saga.id, code: decision.code, reason: decision.reason }, 'fx execution refused by the outflow policy');
    // A daily refusal was written FAILED with the reservation; give the quote back either way.
    if (current.state === 'FAILED') {
      await deps.db.fxQuote.updateMany({ where: { id: saga.quoteId, executedBy: saga.id }, data: { executedBy: null } });
      return current;
    }
    return failFx(deps, current, fence, decision.code);
  }

  const quote = await deps.db.fxQuote.findUniqueOrThrow({ where: { id: saga.quoteId } });
  const accounts = await deps.db.account.findMany({ where: { id: { in: [quote.fromAccountId, quote.toAccountId] } } });
  const byId = new Map(accounts.map((a) => [a.id, a]));
  let from: AccountRow = byId.get(quote.fromAccountId)!;
  let to: AccountRow = byId.get(quote.toAccountId)!;
  const ids = fxTransferIds(saga.id);
  from = await ensureLedgerAccount(deps, from);
  to = await ensureLedgerAccount(deps, to);
  await ensureFxLiquidityAccounts(deps.ledger, [quote.sellCurrency, quote.buyCurrency]);
  const metadata = { sagaId: saga.id, quoteId: quote.id, rate: quote.rate, kind: 'FX', description: saga.description ?? `FX ${quote.sellCurrency}→${quote.buyCurrency}` };
  const legs: NewTransfer[] = [
    { id: ids.sell, debitAccountId: from.ledgerAccountId!, creditAccountId: fxLiquidityAccountId(quote.sellCurrency), amount: quote.sellAmount, currency: quote.sellCurrency, code: TRANSFER_CODES.FX_SELL, metadata },
    { id: ids.buy, debitAccountId: fxLiquidityAccountId(quote.buyCurrency), creditAccountId: to.ledgerAccountId!, amount: quote.buyAmount, currency: quote.buyCurrency, code: TRANSFER_CODES.FX_BUY, metadata },
  ];
  const results = await deps.ledger.createTransfers(legs, true);

  const failed = results.filter((r) => r.status === 'FAILED');
  if (failed.length === 0) {
    const seq = results.reduce<bigint | null>((max, r) => (r.journalSeq !== null && (max === null || r.journalSeq > max) ? r.journalSeq : max), null);
    const posted = await persist(deps, current, fence, { state: 'POSTED', step: 'POST' });
    if (seq !== null) await deps.readModel?.noteWrite([from.ledgerAccountId!, to.ledgerAccountId!], seq).catch(() => undefined);
    return posted;
  }
  const failureCode = failed.find((r) => r.error && r.error !== 'LINKED_TRANSFER_FAILED')?.error ?? failed[0]!.error ?? 'LEDGER_REFUSED';
  if (failureCode !== 'INSUFFICIENT_FUNDS') deps.logger?.warn({ sagaId: saga.id, failureCode }, 'fx batch refused by the ledger');
  current = { ...current, step: 'POST' };
  return failFx(deps, current, fence, failureCode);
}

/** Creates the FX liquidity accounts of these currencies (idempotent: the same request replays). */
export async function ensureFxLiquidityAccounts(ledger: SagaDeps['ledger'], currencies: string[]): Promise<void> {
  const unique = [...new Set(currencies.map((c) => c.toUpperCase()))];
  const results = await ledger.createAccounts(
    unique.map((currency) => ({ id: fxLiquidityAccountId(currency), tenantId: null, customerId: null, currency, code: LEDGER_CODES.FX_LIQUIDITY, flags: [] })),
  );
  const failed = results.find((r) => r.status === 'FAILED');
  // Permanent (its id is taken by an account with other attributes): a saga meeting it ends FAILED.
  if (failed) throw new LedgerRefusedError(failed.id, failed.error ?? 'LEDGER_REFUSED');
}
