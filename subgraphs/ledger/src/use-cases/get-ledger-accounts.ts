import { requireIdentity, type Identity } from '@baas/auth';
import { badInput } from '@baas/errors';
import type { LedgerAccountRow } from '../store/ledger-account-store';
import { getLedgerAccount, type AccountLoader } from './get-ledger-account';

/** Most ids in one ledgerAccounts call (the SDL's @listSize says the same). */
export const MAX_ACCOUNT_IDS = 500;

/** Accounts by id, in order: null for an id that does not exist (internal callers), FORBIDDEN for one the caller may not read. */
export async function getLedgerAccounts(deps: { accounts: AccountLoader }, identity: Identity | null, args: { ids: readonly string[] }): Promise<(LedgerAccountRow | null)[]> {
  requireIdentity(identity);
  if (args.ids.length > MAX_ACCOUNT_IDS) throw badInput(`ids has more than ${MAX_ACCOUNT_IDS} items.`, { field: 'ids', limit: MAX_ACCOUNT_IDS });
  return Promise.all(
    args.ids.map((id) => getLedgerAccount(deps, identity, { id }).catch((e: { code?: string }) => (e.code === 'NOT_FOUND' ? null : Promise.reject(e)))),
  );
}
