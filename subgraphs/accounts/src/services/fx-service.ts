import { deterministicUuid, requestHash } from './ids';
import { missingRecord, requireIdentity, type Identity } from '@baas/auth';
import { badInput, DomainError, forbidden } from '@baas/errors';
import { isMoneyError, parseMinorUnits } from '@baas/money';
import { isUuid } from '@baas/server';
import { quote as priceQuote } from '../domain/fx';
import { LEDGER_CODES, LedgerUnavailableError, TRANSFER_CODES, type NewTransfer } from '../ledger/ledger-client';
import type { AccountsConfig } from '../config';
import type { PrismaClient } from '../generated/prisma/client';
import type { SagaDeps } from '../runtime';
import type { AccountRow } from './accounts';
import { ensureLedgerAccount } from './open-account';
import type { RateProvider } from './rates';
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

type QuoteDeps = { db: PrismaClient; ledger: SagaDeps['ledger']; config: AccountsConfig; rates: RateProvider; loaders: { account: { load(id: string): Promise<AccountRow | null | undefined> } } };

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

function assertActive(row: AccountRow, field: string): void {
  if (row.status === 'FROZEN') throw new DomainError('ACCOUNT_FROZEN', 'The account is frozen.', { field });
  if (row.status !== 'ACTIVE') throw new DomainError('CONFLICT', 'The account is closed.', { field, reason: 'ACCOUNT_CLOSED' });
}

function amountArg(value: string | null | undefined, field: string): bigint | undefined {
  if (value === null || value === undefined) return undefined;
  let amount: bigint;
  try {
    amount = parseMinorUnits(value);
  } catch {
    throw badInput(`${field} must be a whole number of minor units, as a decimal string.`, { field });
  }
  if (amount <= 0n) throw badInput(`${field} must be positive.`, { field });
  return amount;
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
  const sell = amountArg(input.sellAmount, 'sellAmount');
  const buy = amountArg(input.buyAmount, 'buyAmount');
  if ((sell === undefined) === (buy === undefined)) throw badInput('Give exactly one of sellAmount and buyAmount.', { field: 'sellAmount' });

  const from = await loadAccount(deps, who, input.fromAccountId, 'fromAccountId');
  const to = await loadAccount(deps, who, input.toAccountId, 'toAccountId');
  if (from.customerId !== to.customerId || from.tenantId !== to.tenantId) throw badInput('Both accounts must belong to the same customer.', { field: 'toAccountId' });
  if (from.currency === to.currency) throw new DomainError('CURRENCY_MISMATCH', 'A conversion needs two accounts in different currencies.', { field: 'toAccountId' });

  const hash = requestHash({ tenantId: from.tenantId, customerId: from.customerId, from: from.id, to: to.id, sell: sell?.toString() ?? null, buy: buy?.toString() ?? null });
  const existing = await deps.db.fxQuote.findUnique({ where: { id } });
  if (existing) return replayQuote(existing, who, hash);

  assertActive(from, 'fromAccountId');
  assertActive(to, 'toAccountId');
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
  const expiresAt = new Date(Date.now() + deps.config.FX_QUOTE_TTL_SECONDS * 1000);
  await deps.db.$executeRaw`
    INSERT INTO accounts.fx_quote (id, tenant_id, customer_id, from_account_id, to_account_id, sell_amount, sell_currency, buy_amount, buy_currency,
                                   mid_rate, rate, spread_bps, spread_amount, expires_at, request_hash)
    VALUES (${id}::uuid, ${from.tenantId}::uuid, ${from.customerId}::uuid, ${from.id}::uuid, ${to.id}::uuid, ${priced.sellAmount.amount}, ${from.currency},
            ${priced.buyAmount.amount}, ${to.currency}, ${priced.midRate}, ${priced.rate}, ${priced.spreadBps}, ${priced.spreadAmount.amount}, ${expiresAt}, ${hash})
    ON CONFLICT (id) DO NOTHING`;
  // A concurrent request under the same id may have won: whatever is stored is the answer.
  return replayQuote(await deps.db.fxQuote.findUniqueOrThrow({ where: { id } }), who, hash);
}

function replayQuote(row: FxQuoteRow, who: Identity, hash: string): FxQuoteRow {
  if (row.tenantId !== who.tenantId) throw forbidden();
  if (row.requestHash !== hash) throw new DomainError('IDEMPOTENCY_KEY_REUSED');
  return row;
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

type ExecuteDeps = Omit<SagaDeps, 'isRunning' | 'redis' | 'logger'> & Partial<Pick<SagaDeps, 'logger'>> & QuoteDeps;

/**
 * Executes a quote: the saga id is the idempotency key (a repeat returns the same saga, resuming it if a crash
 * left it PENDING). Refused: an expired quote (CONFLICT, reason QUOTE_EXPIRED) and a quote another execution
 * already claimed (CONFLICT, reason QUOTE_ALREADY_EXECUTED). The claim on the quote and the saga row are written in
 * one transaction; then the two legs go to the ledger as ONE linked batch (both or neither):
 *   customer from-account → FX liquidity (sell currency), sell amount, code FX_SELL
 *   FX liquidity (buy currency) → customer to-account, buy amount, code FX_BUY
 * Insufficient funds (or any refusal of the batch) ends the saga FAILED with the ledger's code as failureCode and
 * releases the quote, so it can be executed again (under another id) before it expires.
 */
export async function executeFxQuote(deps: ExecuteDeps, identity: Identity | null, input: { id: string; quoteId: string }): Promise<TransferSagaRow> {
  const who = requireIdentity(identity);
  if (who.kind !== 'customer' && who.kind !== 'api_client') throw forbidden();
  if (!isUuid(input.id)) throw badInput('id must be a UUID.', { field: 'id' });
  if (!isUuid(input.quoteId)) throw badInput('quoteId must be a UUID.', { field: 'quoteId' });
  const id = input.id.toLowerCase();
  const quoteId = input.quoteId.toLowerCase();
  const hash = requestHash({ kind: 'FX', quoteId });

  const replay = async (): Promise<TransferSagaRow | null> => {
    const saga = await deps.db.transferSaga.findUnique({ where: { id } });
    if (!saga) return null;
    if (saga.tenantId !== who.tenantId || !actsFor(who, saga)) throw forbidden();
    if (saga.kind !== 'FX' || saga.requestHash !== hash) throw new DomainError('IDEMPOTENCY_KEY_REUSED');
    return saga.state === 'PENDING' ? runFxSaga(deps, saga) : saga;
  };
  const replayed = await replay();
  if (replayed) return replayed;

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
  assertActive(from, 'fromAccountId');
  if (to.status === 'CLOSED') assertActive(to, 'toAccountId'); // a frozen account still accepts credits

  let saga: TransferSagaRow;
  try {
    saga = await deps.db.$transaction(async (tx) => {
      const claimed = await tx.fxQuote.updateMany({ where: { id: quoteId, executedBy: null, expiresAt: { gt: new Date() } }, data: { executedBy: id } });
      if (claimed.count === 0) return null;
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
          leaseUntil: new Date(Date.now() + deps.config.SAGA_LEASE_SECONDS * 1000),
        },
      });
    }).then(async (created) => {
      if (created) return created;
      // Lost the claim: to a concurrent request with this id (replay), another execution, or the clock.
      const again = await replay();
      if (again) return again;
      refuse(await deps.db.fxQuote.findUniqueOrThrow({ where: { id: quoteId } }));
      throw new DomainError('CONFLICT', 'The quote changed meanwhile: read it and try again.');
    });
  } catch (error) {
    if ((error as { code?: string }).code === 'P2002') {
      // The saga id exists already (a concurrent request, or the id was used for something else).
      const again = await replay();
      if (again) return again;
    }
    throw error;
  }
  return saga.state === 'PENDING' ? runFxSaga(deps, saga) : saga;
}

/** Recovery: re-submits the same linked batch for an FX saga left PENDING (idempotent: replays what was written). */
export async function resumeFxSaga(deps: SagaDeps, saga: TransferSagaRow): Promise<TransferSagaRow> {
  if (saga.kind !== 'FX' || saga.state !== 'PENDING') return saga;
  return runFxSaga(deps, saga);
}

async function runFxSaga(deps: Pick<SagaDeps, 'db' | 'ledger' | 'readModel'> & Partial<Pick<SagaDeps, 'logger'>>, saga: TransferSagaRow): Promise<TransferSagaRow> {
  if (!saga.quoteId || !saga.fromAccountId) throw new Error(`FX saga ${saga.id} has no quote`);
  const quote = await deps.db.fxQuote.findUniqueOrThrow({ where: { id: saga.quoteId } });
  const accounts = await deps.db.account.findMany({ where: { id: { in: [quote.fromAccountId, quote.toAccountId] } } });
  const byId = new Map(accounts.map((a) => [a.id, a]));
  let from: AccountRow = byId.get(quote.fromAccountId)!;
  let to: AccountRow = byId.get(quote.toAccountId)!;
  await deps.db.transferSaga.update({ where: { id: saga.id }, data: { attempts: { increment: 1 }, updatedAt: new Date() } });

  const ids = fxTransferIds(saga.id);
  let results;
  try {
    from = await ensureLedgerAccount(deps, from);
    to = await ensureLedgerAccount(deps, to);
    await ensureFxLiquidityAccounts(deps.ledger, [quote.sellCurrency, quote.buyCurrency]);
    const metadata = { sagaId: saga.id, quoteId: quote.id, rate: quote.rate, kind: 'FX' };
    const legs: NewTransfer[] = [
      { id: ids.sell, debitAccountId: from.ledgerAccountId!, creditAccountId: fxLiquidityAccountId(quote.sellCurrency), amount: quote.sellAmount, currency: quote.sellCurrency, code: TRANSFER_CODES.FX_SELL, metadata },
      { id: ids.buy, debitAccountId: fxLiquidityAccountId(quote.buyCurrency), creditAccountId: to.ledgerAccountId!, amount: quote.buyAmount, currency: quote.buyCurrency, code: TRANSFER_CODES.FX_BUY, metadata },
    ];
    results = await deps.ledger.createTransfers(legs, true);
  } catch (error) {
    if (error instanceof LedgerUnavailableError) {
      // Left PENDING: repeating the request (or recovery) re-submits the same batch.
      throw new DomainError('SUBGRAPH_UNAVAILABLE', 'The ledger is unavailable: repeat the request with the same id to finish the conversion.');
    }
    throw error;
  }

  const failed = results.filter((r) => r.status === 'FAILED');
  if (failed.length === 0) {
    const seq = results.reduce<bigint | null>((max, r) => (r.journalSeq !== null && (max === null || r.journalSeq > max) ? r.journalSeq : max), null);
    await deps.db.transferSaga.updateMany({ where: { id: saga.id, state: 'PENDING' }, data: { state: 'POSTED', step: 'POST', leaseUntil: null, updatedAt: new Date() } });
    if (seq !== null) await deps.readModel?.noteWrite([from.ledgerAccountId!, to.ledgerAccountId!], seq).catch(() => undefined);
  } else {
    const failureCode = failed.find((r) => r.error && r.error !== 'LINKED_TRANSFER_FAILED')?.error ?? failed[0]!.error ?? 'LEDGER_REFUSED';
    if (failureCode !== 'INSUFFICIENT_FUNDS') deps.logger?.warn({ sagaId: saga.id, failureCode }, 'fx batch refused by the ledger');
    await deps.db.$transaction([
      deps.db.transferSaga.updateMany({ where: { id: saga.id, state: 'PENDING' }, data: { state: 'FAILED', step: 'POST', failureCode, leaseUntil: null, updatedAt: new Date() } }),
      deps.db.fxQuote.updateMany({ where: { id: quote.id, executedBy: saga.id }, data: { executedBy: null } }),
    ]);
  }
  return deps.db.transferSaga.findUniqueOrThrow({ where: { id: saga.id } });
}

/** Creates the FX liquidity accounts of these currencies (idempotent: the same request replays). */
export async function ensureFxLiquidityAccounts(ledger: SagaDeps['ledger'], currencies: string[]): Promise<void> {
  const unique = [...new Set(currencies.map((c) => c.toUpperCase()))];
  const results = await ledger.createAccounts(
    unique.map((currency) => ({ id: fxLiquidityAccountId(currency), tenantId: null, customerId: null, currency, code: LEDGER_CODES.FX_LIQUIDITY, flags: [] })),
  );
  const failed = results.find((r) => r.status === 'FAILED');
  if (failed) throw new Error(`ledger refused the FX liquidity account ${failed.id}: ${failed.error}`);
}
