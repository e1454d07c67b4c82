import type { Identity } from '@baas/auth';
import { forbidden } from '@baas/errors';
import { maySeePayments } from '../permissions';
import type { PixKeyClaimRow } from '../store/pix-key-store';
import { requireUuid, type PixKeyDeps } from './register-pix-key';

/** The claims an account opened and the claims on its keys (any status, newest first, at most 100): for whoever may see the account's payments. */
export async function listPixKeyClaims(deps: Pick<PixKeyDeps, 'keys' | 'accounts'>, who: Identity, input: { accountId: string }): Promise<PixKeyClaimRow[]> {
  const account = await deps.accounts.account(requireUuid(input.accountId, 'accountId'));
  if (!account || !maySeePayments(who, account)) throw forbidden();
  return deps.keys.listClaimsByAccount(account.id, 100);
}
