import type { Outflow, RiskPort } from '@baas/policy';
import type { SagaLogger } from '@baas/saga';
import type { LedgerClient } from '../clients/ledger/client';
import type { AccountRow } from '../store/account-store';
import type { FxQuoteStore } from '../store/fx-quote-store';
import type { SagaRow } from '../store/saga-store';

/**
 * The limits of an outflow where money is committed (the policy path's step 2): the per-transaction
 * and daily limits, reserved atomically with the saga's move to step LIMITS. Returns the saga as
 * written (failureCode LIMIT_EXCEEDED when refused), or null when the lease was lost. `release`
 * gives the reservation back (its compensation).
 */
export type SagaLimits = {
  reserve(saga: SagaRow): Promise<SagaRow | null>;
  release(saga: SagaRow): Promise<void>;
};

/** What the accounts sagas (transfer, funding, FX) reach: passed in by the composition root, never module state. */
export type AccountsSagaDeps = {
  ledger: Pick<LedgerClient, 'createTransfers' | 'postPending' | 'voidPending' | 'createAccounts'>;
  /** The policy path's limits and risk ports (the risk subgraph's client can take the risk port over). */
  limits: SagaLimits;
  risk: RiskPort;
  quotes: Pick<FxQuoteStore, 'findById' | 'release'>;
  accounts: {
    findByIds(ids: readonly string[]): Promise<AccountRow[]>;
    /** Opens the account's ledger account if it has none yet (idempotent). */
    ensureLedgerAccount(row: AccountRow): Promise<AccountRow>;
  };
  /** The balance read model, told of each write so a read after it is fresh (null: off). */
  readModel: { noteWrite(ledgerAccountIds: string[], journalSeq: bigint): Promise<void> } | null;
  logger: SagaLogger;
};

/** A saga (transfer, FX execution) as the policy sees it. */
export function sagaOutflow(saga: SagaRow): Outflow {
  return {
    rail: saga.kind,
    id: saga.id,
    tenantId: saga.tenantId,
    customerId: saga.customerId,
    accountId: saga.fromAccountId!,
    // The same payee as at request time: risk's idempotency fingerprint includes it.
    payeeAccountId: saga.toAccountId,
    amount: saga.amount,
    currency: saga.currency,
    createdAt: saga.createdAt,
  };
}

/** Tells the read model of a ledger write (in the background: a failure only costs freshness). */
export function noteWrite(deps: Pick<AccountsSagaDeps, 'readModel' | 'logger'>, ids: (string | null)[], journalSeq: bigint | null | undefined): void {
  if (!deps.readModel || journalSeq === null || journalSeq === undefined) return;
  const accounts = ids.filter((x): x is string => !!x);
  void deps.readModel.noteWrite(accounts, journalSeq).catch((error) => deps.logger.warn({ err: error }, 'read model noteWrite failed'));
}
