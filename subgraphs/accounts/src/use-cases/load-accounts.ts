import { missingRecord, type Identity } from '@baas/auth';
import { badInput } from '@baas/errors';
import { isUuid } from '@baas/server';
import type { AccountRow } from '../store/account-store';

/**
 * The accounts a money movement names, by id in one query and in the order given; each id is checked
 * (and reported by its field) first. Unknown ids look like forbidden ones (missingRecord).
 */
export async function loadAccounts(deps: { accounts: { findByIds(ids: readonly string[]): Promise<AccountRow[]> } }, who: Identity, wanted: { id: string; field: string }[]): Promise<AccountRow[]> {
  for (const { id, field } of wanted) if (!isUuid(id)) throw badInput(`${field} must be a UUID.`, { field });
  const ids = wanted.map(({ id }) => id.toLowerCase());
  const rows = await deps.accounts.findByIds(ids);
  return ids.map((id) => {
    const row = rows.find((r) => r.id === id);
    if (!row) throw missingRecord(who, 'Account');
    return row;
  });
}
