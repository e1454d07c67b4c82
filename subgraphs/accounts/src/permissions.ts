import { isAuthenticated, isInternal, isInternalService, isOperator, or, ownsParent, publicField, isApiClient, isCustomer, type RuleTree } from '@baas/authz';
import type { AccountRow } from './services/accounts';
import type { FxQuoteRow, TransferSagaRow } from './services/types';

const ownsAccount = ownsParent((a: AccountRow) => ({ tenantId: a.tenantId, customerId: a.customerId }), 'accounts:ownsAccount');

/** Who may resolve what in the accounts subgraph (default deny). Resolvers check each id they load. */
export const accountsPermissions: RuleTree = {
  Query: {
    account: isAuthenticated,
    accountTransfer: isAuthenticated,
    fxQuote: isAuthenticated,
    tenantAccountSettings: or(isOperator, isApiClient),
  },
  Mutation: {
    openAccount: or(isCustomer, isApiClient),
    freezeAccount: or(isOperator, isApiClient),
    unfreezeAccount: or(isOperator, isApiClient),
    closeAccount: or(isOperator, isApiClient),
    transfer: or(isCustomer, isApiClient, isInternalService),
    fundSandboxAccount: or(isOperator, isApiClient),
    quoteFx: or(isCustomer, isApiClient),
    executeFxQuote: or(isCustomer, isApiClient),
    setTenantAccountSettings: isOperator,
  },
  // A counterparty's account (on a transfer) shows its id only.
  Account: { '*': ownsAccount, id: isAuthenticated },
  AccountTransfer: { '*': ownsParent((t: TransferSagaRow) => ({ tenantId: t.tenantId, customerId: t.customerId }), 'accounts:ownsTransfer') },
  FxQuote: { '*': ownsParent((q: FxQuoteRow) => ({ tenantId: q.tenantId, customerId: q.customerId }), 'accounts:ownsQuote') },
  // A Customer here is only a reference ({ id }); its accounts are filtered to what the caller may see.
  Customer: { id: isAuthenticated, accounts: isAuthenticated },
  LedgerAccount: isAuthenticated,
  Money: publicField,
  AccountBalance: publicField,
  StatementEntry: publicField,
  StatementPage: publicField,
  OpenAccountResult: publicField,
  TenantAccountSettings: publicField,
};
