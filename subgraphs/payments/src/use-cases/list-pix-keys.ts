import type { Identity } from '@baas/auth';
import { forbidden } from '@baas/errors';
import { maySeePayments } from '../permissions';
import type { PixKeyRow } from '../store/pix-key-store';
import { requireUuid, type PixKeyDeps } from './register-pix-key';

/** An account's keys that are not DELETED, oldest first: for whoever may see the account's payments (FORBIDDEN otherwise, or when there is no such account). */
export async function listPixKeys(deps: Pick<PixKeyDeps, 'keys' | 'accounts'>, who: Identity, input: { accountId: string }): Promise<PixKeyRow[]> {
  const account = await deps.accounts.account(requireUuid(input.accountId, 'accountId'));
  if (!account || !maySeePayments(who, account)) throw forbidden();
  return deps.keys.listByAccount(account.id);
}
