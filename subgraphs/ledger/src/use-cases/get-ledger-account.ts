import { missingRecord, requireIdentity, type Identity } from '@baas/auth';
import { forbidden } from '@baas/errors';
import { isUuid } from '@baas/server';
import { maySeeLedgerAccount } from '../permissions';
import type { LedgerAccountRow } from '../store/ledger-account-store';

export type AccountLoader = { load(id: string): Promise<LedgerAccountRow | null> };

/** An account the caller may read in full; FORBIDDEN otherwise (also for unknown ids, unless internal). */
export async function getLedgerAccount(deps: { accounts: AccountLoader }, identity: Identity | null, args: { id: string }): Promise<LedgerAccountRow> {
  const who = requireIdentity(identity);
  const row = isUuid(args.id) ? await deps.accounts.load(args.id.toLowerCase()) : null;
  if (!row) throw missingRecord(who, 'Ledger account');
  if (!maySeeLedgerAccount(who, row)) throw forbidden();
  return row;
}
