import { missingRecord, requireIdentity, type Identity } from '@baas/auth';
import { demand } from '@baas/authz';
import { DomainError } from '@baas/errors';
import { isUuid } from '@baas/server';
import { mayManageAccount } from '../permissions';
import type { AccountRow, AccountStatus, AccountStore } from '../store/account-store';
import type { AccountsSagaStore } from '../store/saga-store';

export type ChangeAccountStatusDeps = {
  accounts: Pick<AccountStore, 'changeStatus'>;
  /** Whether a saga (transfer, funding, FX) from or to the account is still running. */
  sagas: Pick<AccountsSagaStore, 'hasOpenFor'>;
  /** Per-request loaders: the account by id, its balance by ledger account id. */
  loaders: {
    account: { load(id: string): Promise<AccountRow | null> };
    balance: { load(ledgerAccountId: string): Promise<{ posted: bigint; pendingDebits: bigint; pendingCredits: bigint } | null> };
  };
};

/**
 * freezeAccount (ACTIVE → FROZEN), unfreezeAccount (FROZEN → ACTIVE), closeAccount (→ CLOSED, only
 * from a zero balance with nothing pending and no transfer in progress), by whoever manages the
 * account (mayManageAccount). Each is idempotent (repeating is harmless); a closed account stays closed.
 */
export async function changeAccountStatus(deps: ChangeAccountStatusDeps, identity: Identity | null, args: { id: string; to: AccountStatus }): Promise<AccountRow> {
  const who = requireIdentity(identity);
  const row = isUuid(args.id) ? await deps.loaders.account.load(args.id.toLowerCase()) : null;
  if (!row) throw missingRecord(who, 'Account');
  demand(mayManageAccount(who, row));
  const { to } = args;
  if (row.status === to) return row;
  if (row.status === 'CLOSED') throw new DomainError('CONFLICT', 'The account is closed.', { status: row.status });
  if (to === 'CLOSED') {
    const balance = row.ledgerAccountId ? await deps.loaders.balance.load(row.ledgerAccountId) : null;
    if (balance && (balance.posted !== 0n || balance.pendingDebits !== 0n || balance.pendingCredits !== 0n)) {
      throw new DomainError('CONFLICT', 'Only an account with a zero balance and nothing pending can be closed.', { reason: 'BALANCE_NOT_ZERO' });
    }
    if (await deps.sagas.hasOpenFor(row.id)) throw new DomainError('CONFLICT', 'Transfers of this account are still in progress.', { reason: 'TRANSFERS_IN_PROGRESS' });
  }
  // Conditional update: a concurrent change wins or loses as a whole.
  const updated = await deps.accounts.changeStatus(row.id, row.status, to);
  if (!updated) throw new DomainError('CONFLICT', 'The account changed meanwhile: read it and try again.');
  return updated;
}
