import type { Identity } from '@baas/auth';
import { badInput, DomainError } from '@baas/errors';
import { isUuid } from '@baas/server';
import type { AccountsClient, PaymentAccount } from '../clients/accounts/client';
import { requireOperateAccount } from '../permissions';

/**
 * The account money leaves from, if the caller may move money out of it (its customer, or its
 * tenant's client with payments:write: FORBIDDEN otherwise, whether or not it exists), ACTIVE
 * (ACCOUNT_FROZEN, ACCOUNT_CLOSED) and, when `currency` is given, in that currency (CURRENCY_MISMATCH).
 */
export async function loadPayingAccount(accounts: Pick<AccountsClient, 'account'>, who: Identity, accountId: string, field = 'accountId', currency?: string): Promise<PaymentAccount> {
  if (!isUuid(accountId)) throw badInput(`${field} must be a UUID.`, { field });
  const account = await accounts.account(accountId.toLowerCase());
  requireOperateAccount(who, account);
  if (account.status === 'FROZEN') throw new DomainError('ACCOUNT_FROZEN', 'The account is frozen: no money may leave it.');
  if (account.status === 'CLOSED') throw new DomainError('ACCOUNT_CLOSED', 'The account is closed.');
  if (currency && account.currency !== currency) throw new DomainError('CURRENCY_MISMATCH', `The account must be in ${currency}.`, { expected: currency, actual: account.currency });
  return account;
}
