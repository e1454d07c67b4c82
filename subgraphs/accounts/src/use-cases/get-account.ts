import { missingRecord, requireIdentity, type Identity } from '@baas/auth';
import { demand } from '@baas/authz';
import { isUuid } from '@baas/server';
import { maySeeAccount } from '../permissions';
import type { AccountRow } from '../store/account-store';

export type GetAccountDeps = { accounts: { load(id: string): Promise<AccountRow | null> } };

/** An account the caller may see (maySeeAccount); unknown or malformed ids are missingRecord (FORBIDDEN to tenants, NOT_FOUND to the platform). */
export async function getAccount(deps: GetAccountDeps, identity: Identity | null, id: string): Promise<AccountRow> {
  const who = requireIdentity(identity);
  const row = isUuid(id) ? await deps.accounts.load(id) : null;
  if (!row) throw missingRecord(who, 'Account');
  demand(maySeeAccount(who, row));
  return row;
}
