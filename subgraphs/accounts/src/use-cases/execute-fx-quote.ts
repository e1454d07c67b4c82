import { missingRecord, requireIdentity, type Identity } from '@baas/auth';
import { demand } from '@baas/authz';
import { badInput, DomainError, forbidden } from '@baas/errors';
import { createOrReplay, legacyRequestHash, requestFingerprint } from '@baas/idempotency';
import { admitOutflow, type RiskPort, type StandingPort } from '@baas/policy';
import { isFinalStatus, waitArg, type SagaEngine } from '@baas/saga';
import { isUuid } from '@baas/server';
import { accountStateRefusal } from '../domain/outflow';
import { mayConvert, mayConvertFor } from '../permissions';
import type { AccountRow } from '../store/account-store';
import type { FxQuoteRow, FxQuoteStore } from '../store/fx-quote-store';
import type { AccountsSagaStore, SagaRow } from '../store/saga-store';

export type ExecuteFxQuoteDeps = {
  sagas: Pick<AccountsSagaStore, 'find' | 'insertClaimingQuote'>;
  quotes: Pick<FxQuoteStore, 'findById'>;
  accounts: { findByIds(ids: readonly string[]): Promise<AccountRow[]> };
  standing: StandingPort;
  /** Risk, asked at request time under the execution's id (and again by the saga's RISK step). */
  risk: RiskPort;
  engine: SagaEngine<SagaRow>;
  leaseMs: number;
};

const conflict = (message: string, details?: Record<string, unknown>) => new DomainError('CONFLICT', message, details);

/** Why the quote may not be executed by `id` now: claimed by another execution, or expired. */
function refuseQuote(q: FxQuoteRow, id: string): void {
  if (q.executedBy && q.executedBy !== id) throw conflict('The quote was already executed.', { reason: 'QUOTE_ALREADY_EXECUTED' });
  if (q.expiresAt.getTime() <= Date.now()) throw conflict('The quote has expired: ask for a new one.', { reason: 'QUOTE_EXPIRED', expiresAt: q.expiresAt.toISOString() });
}

/**
 * Executes a quote as an FX saga (sagas/fx-saga.ts): the saga id is the idempotency key (a repeat returns the same
 * saga, resuming it when unfinished and free; with `waitMs`, waiting for its outcome as transfers do). Refused: an
 * expired quote (CONFLICT, reason QUOTE_EXPIRED), a quote another execution already claimed (CONFLICT, reason
 * QUOTE_ALREADY_EXECUTED), accounts that may not move (ACCOUNT_CLOSED, ACCOUNT_FROZEN) and a missing step-up
 * (STEP_UP_REQUIRED: judged on the executing session) and risk at request time (RISK_DECLINED; REVIEW: STEP_UP_REQUIRED). The claim on the quote and the saga are written in one
 * transaction; the saga then passes limits and risk and posts both legs as one linked batch.
 */
export async function executeFxQuote(deps: ExecuteFxQuoteDeps, identity: Identity | null, input: { id: string; quoteId: string; waitMs?: number | null; client?: { ip?: string | null; deviceId?: string | null } }): Promise<SagaRow> {
  const who = requireIdentity(identity);
  demand(mayConvert(who));
  const waitMs = waitArg(input.waitMs);
  if (!isUuid(input.id)) throw badInput('id must be a UUID.', { field: 'id' });
  if (!isUuid(input.quoteId)) throw badInput('quoteId must be a UUID.', { field: 'quoteId' });
  const id = input.id.toLowerCase();
  const quoteId = input.quoteId.toLowerCase();
  const hash = requestFingerprint('fx-execution/v1', { quoteId });
  const { row: saga, status } = await createOrReplay<SagaRow>({
    hash,
    // Rows written before @baas/idempotency.
    acceptedHashes: [legacyRequestHash({ kind: 'FX', quoteId })],
    // The saga table holds transfers and fundings too: their ids are other requests.
    storedHash: (row) => (row.kind === 'FX' ? row.requestHash : null),
    scope: (row) => row.tenantId === who.tenantId && mayConvertFor(who, row),
    outOfScope: () => forbidden(),
    find: () => deps.sagas.find(id),
    insert: () => claimQuote(deps, who, { id, quoteId, hash, client: input.client }),
  });
  if (isFinalStatus(saga.status)) return saga;
  const driven = (await deps.engine.drive(id, status === 'CREATED' ? saga : null)) ?? saga;
  return deps.engine.waiter.wait(driven, waitMs, (sagaId) => deps.sagas.find(sagaId));
}

/**
 * Claims the quote for execution `id` and creates its saga, in one transaction, after the checks a new execution
 * passes. Null when a concurrent request with this id claimed it first (its saga is the answer); CONFLICT when
 * another execution did, or the quote expired.
 */
async function claimQuote(
  deps: ExecuteFxQuoteDeps,
  who: Identity,
  { id, quoteId, hash, client }: { id: string; quoteId: string; hash: string; client?: { ip?: string | null; deviceId?: string | null } | undefined },
): Promise<SagaRow | null> {
  const quote = await deps.quotes.findById(quoteId);
  if (!quote) throw missingRecord(who, 'FX quote');
  demand(mayConvertFor(who, quote));
  refuseQuote(quote, id);
  const accounts = await deps.accounts.findByIds([quote.fromAccountId, quote.toAccountId]);
  const from = accounts.find((a) => a.id === quote.fromAccountId);
  const to = accounts.find((a) => a.id === quote.toAccountId);
  if (!from || !to) throw conflict('An account of the quote no longer exists.');
  const refusal = accountStateRefusal(from, to);
  if (refusal) {
    const field = refusal === 'ACCOUNT_FROZEN' || from.status !== 'ACTIVE' ? 'fromAccountId' : 'toAccountId';
    throw new DomainError(refusal, refusal === 'ACCOUNT_CLOSED' ? 'The account is closed.' : 'The account is frozen.', { field });
  }
  // Standing, step-up and risk, on the session that executes (a quote asked for earlier does not carry them over).
  const outflow = {
    rail: 'FX',
    id,
    tenantId: quote.tenantId,
    customerId: quote.customerId,
    accountId: quote.fromAccountId,
    payeeAccountId: quote.toAccountId,
    payerLedgerAccountId: from.ledgerAccountId,
    payeeLedgerAccountId: to.ledgerAccountId,
    amount: quote.sellAmount,
    currency: quote.sellCurrency,
    createdAt: new Date(),
    ip: client?.ip ?? null,
    deviceId: client?.deviceId ?? null,
  };
  await admitOutflow({ standing: deps.standing, risk: deps.risk }, who, outflow);
  const created = await deps.sagas.insertClaimingQuote(
    {
      id,
      kind: 'FX',
      tenantId: quote.tenantId,
      customerId: quote.customerId,
      fromAccountId: quote.fromAccountId,
      toAccountId: quote.toAccountId,
      amount: quote.sellAmount,
      currency: quote.sellCurrency,
      description: `FX ${quote.sellCurrency}→${quote.buyCurrency}`,
      quoteId,
      requestHash: hash,
    },
    deps.leaseMs,
  );
  if (created !== 'TAKEN') return created;
  // Lost the claim: to a concurrent request with this id (its saga is committed with the claim), another execution, or the clock.
  const now = await deps.quotes.findById(quoteId);
  if (now?.executedBy === id) return null;
  if (now) refuseQuote(now, id);
  throw conflict('The quote changed meanwhile: read it and try again.');
}
