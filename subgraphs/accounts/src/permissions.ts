import { isAuthenticated, ownsParent, type RuleTree } from '@baas/authz';
import type { AccountRow } from './services/accounts';

/** Who may resolve what in the accounts subgraph (default deny). */
export const accountsPermissions: RuleTree = {
  Query: { account: isAuthenticated },
  Account: { '*': ownsParent((a: AccountRow) => ({ tenantId: a.tenantId, customerId: a.customerId }), 'accounts:ownsAccount') },
  // A Customer here is only a reference ({ id }); its accounts are filtered to what the caller may see.
  Customer: { id: isAuthenticated, accounts: isAuthenticated },
};
