import { requireIdentity, type Identity } from '@baas/auth';
import { demand } from '@baas/authz';
import { isUuid } from '@baas/server';
import { customerAccountsVisibleTo, mayListCustomerAccounts } from '../permissions';
import type { AccountRow } from '../store/account-store';

export type ListCustomerAccountsDeps = { accountsByCustomer: { load(customerId: string): Promise<AccountRow[]> } };

/** A customer's accounts as the caller may see them: customers only their own, API clients their tenant's. */
export async function listCustomerAccounts(deps: ListCustomerAccountsDeps, identity: Identity | null, customerId: string): Promise<AccountRow[]> {
  const who = requireIdentity(identity);
  demand(mayListCustomerAccounts(who, customerId));
  const rows = isUuid(customerId) ? await deps.accountsByCustomer.load(customerId) : [];
  return customerAccountsVisibleTo(who, rows);
}
