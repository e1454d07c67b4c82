import { DomainError } from '@baas/errors';
import { LedgerRefusedError, LedgerUnavailableError, type LedgerClient } from '../clients/ledger/client';
import { LEDGER_CODES } from '../domain/ledger-codes';
import type { AccountRow, AccountStore } from '../store/account-store';

export type EnsureLedgerAccountDeps = { ledger: Pick<LedgerClient, 'createAccounts'>; accounts: Pick<AccountStore, 'recordLedgerAccount'> };

/**
 * Opens the account's ledger account (id = account id; customers' accounts may not go below zero)
 * and records it. Idempotent: an account that has one is returned as it is, and the ledger replays
 * a repeated creation. Ledger down: SUBGRAPH_UNAVAILABLE (the next repeat finishes the opening).
 */
export async function ensureLedgerAccount(deps: EnsureLedgerAccountDeps, row: AccountRow): Promise<AccountRow> {
  if (row.ledgerAccountId) return row;
  let results;
  try {
    results = await deps.ledger.createAccounts([
      { id: row.id, tenantId: row.tenantId, customerId: row.customerId, currency: row.currency, code: LEDGER_CODES.CUSTOMER, flags: ['DEBITS_MUST_NOT_EXCEED_CREDITS'] },
    ]);
  } catch (error) {
    if (error instanceof LedgerUnavailableError) throw new DomainError('SUBGRAPH_UNAVAILABLE', 'The ledger is unavailable: repeat the request to finish opening the account.');
    throw error;
  }
  // Permanent: the id is taken in the ledger by an account with other attributes (or they are invalid).
  if (results[0]?.status === 'FAILED') throw new LedgerRefusedError(row.id, results[0].error ?? 'LEDGER_REFUSED');
  return deps.accounts.recordLedgerAccount(row.id);
}
