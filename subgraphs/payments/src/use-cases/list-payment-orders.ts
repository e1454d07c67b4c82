import { requireIdentity, type Identity } from '@baas/auth';
import { badInput, forbidden } from '@baas/errors';
import { isUuid } from '@baas/server';
import type { AccountsClient } from '../clients/accounts/client';
import { maySeePayments } from '../permissions';
import type { MedCaseRow, MedCaseStore } from '../store/med-case-store';
import type { PaymentOrderStore } from '../store/payment-order-store';

/** The account, if the caller may see its payments (FORBIDDEN otherwise, whether or not it exists). */
async function visibleAccount(accounts: Pick<AccountsClient, 'account'>, who: Identity, accountId: string) {
  if (!isUuid(accountId)) throw badInput('accountId must be a UUID.', { field: 'accountId' });
  const account = await accounts.account(accountId.toLowerCase());
  if (!account || !maySeePayments(who, account)) throw forbidden();
  return account;
}

/** An account's payment orders, newest first (at most 100 a page). */
export async function listPaymentOrders(deps: { accounts: Pick<AccountsClient, 'account'>; orders: Pick<PaymentOrderStore, 'pageByAccount'> }, identity: Identity | null, args: { accountId: string; first?: number | null; after?: string | null }) {
  const who = requireIdentity(identity);
  const first = args.first ?? 50;
  if (!Number.isInteger(first) || first < 1 || first > 100) throw badInput('first must be 1 to 100.', { field: 'first', limit: 100 });
  const account = await visibleAccount(deps.accounts, who, args.accountId);
  return deps.orders.pageByAccount(account.id, first, args.after ?? null);
}

/** The MED cases reported on the PIX an account sent, newest first. */
export async function listMedCases(deps: { accounts: Pick<AccountsClient, 'account'>; medCases: Pick<MedCaseStore, 'listForCustomer' | 'listForReceiverAccount'>; orders: Pick<PaymentOrderStore, 'findByIds'> }, identity: Identity | null, accountId: string): Promise<MedCaseRow[]> {
  const who = requireIdentity(identity);
  const account = await visibleAccount(deps.accounts, who, accountId);
  const [reported, against] = await Promise.all([deps.medCases.listForCustomer(account.tenantId, account.customerId), deps.medCases.listForReceiverAccount(account.id)]);
  const orders = new Map((await deps.orders.findByIds(reported.map((c) => c.orderId))).map((o) => [o.id, o]));
  const mine = reported.filter((c) => orders.get(c.orderId)?.accountId === account.id);
  return [...mine, ...against.filter((c) => !mine.some((m) => m.id === c.id))].sort((a, b) => b.createdAt.getTime() - a.createdAt.getTime());
}
