import { isAuthenticated, isInternal, isInternalService, isOperator, or, ownsParent, publicField, isApiClient, isCustomer, type RuleTree } from '@baas/authz';
import type { Identity } from '@baas/auth';
import { badInput, DomainError, forbidden } from '@baas/errors';
import { isCustomerSelf, isPlatform, isPlatformOperator, isTenantClientWith, managesTenant, mayRead } from '@baas/authz';
import type { AccountRow } from './store/account-store';
import type { FxQuoteRow } from './store/fx-quote-store';
import type { TransferSagaRow } from './store/saga-store';

const ownsAccount = ownsParent((a: AccountRow) => ({ tenantId: a.tenantId, customerId: a.customerId }), 'accounts:ownsAccount');

/** Who may resolve what in the accounts subgraph (default deny). Resolvers check each id they load. */
export const accountsPermissions: RuleTree = {
  Query: {
    account: isAuthenticated,
    accountTransfer: isAuthenticated,
    fxQuote: isAuthenticated,
    tenantAccountSettings: or(isOperator, isApiClient, isInternal),
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

// ---------------------------------------------------------------------------------------------
// Record-level policies: accounts and tenant settings (use cases call these; nothing else tests who.kind)

/** Who may see an account: its customer, its tenant's clients, operators and internal services. */
export function maySeeAccount(who: Identity, account: Pick<AccountRow, 'tenantId' | 'customerId'>): boolean {
  return mayRead(who, { tenantId: account.tenantId, customerId: account.customerId });
}

/** Who may list a customer's accounts at all: a customer only their own; others see them filtered (customerAccountsVisibleTo). */
export function mayListCustomerAccounts(who: Identity, customerId: string): boolean {
  return who.kind !== 'customer' || who.subject === customerId;
}

/** Of a customer's accounts, those the caller sees: operators and services all, everyone else its tenant's. */
export function customerAccountsVisibleTo<Row extends Pick<AccountRow, 'tenantId'>>(who: Identity, rows: Row[]): Row[] {
  return isPlatform(who) ? rows : rows.filter((row) => row.tenantId === who.tenantId);
}

/**
 * Who opens accounts, and for whom: a customer for themselves (SELF), or a tenant's API client
 * holding accounts:write for a customer it names (TENANT). Anyone else: FORBIDDEN.
 */
export function accountOpener(who: Identity): 'SELF' | 'TENANT' {
  if (who.kind === 'customer') return 'SELF';
  if (who.tenantId !== null && isTenantClientWith(who, who.tenantId, 'accounts:write')) return 'TENANT';
  throw forbidden();
}

/** Who may freeze, unfreeze and close an account: operators, or its tenant's client holding accounts:write. */
export function mayManageAccount(who: Identity, account: Pick<AccountRow, 'tenantId'>): boolean {
  return managesTenant(who, account.tenantId, 'accounts:write');
}

/**
 * Whose account settings the caller addresses: operators and internal services name any tenant
 * (required; the caller then asks identity whether it exists), a tenant's client its own (its
 * tenant comes from its token; naming another is FORBIDDEN). Customers: FORBIDDEN.
 */
export function settingsTenant(who: Identity, named: string | null | undefined): { named: string } | { own: string } {
  if (isPlatform(who)) {
    if (!named) throw badInput('tenantId is required.', { field: 'tenantId' });
    return { named };
  }
  if (who.kind === 'api_client' && who.tenantId && (!named || named.toLowerCase() === who.tenantId)) return { own: who.tenantId };
  throw forbidden();
}

/** Who may change a tenant's currencies and limits: platform operators only. */
export function mayChangeTenantSettings(who: Identity): boolean {
  return isPlatformOperator(who);
}

// ---------------------------------------------------------------------------------------------
// Record-level policies: transfers, sandbox funding and FX (use cases call these)

type Owned = { tenantId: string; customerId: string };

/**
 * Who may move money out of `from` into `to`: its customer (to any account of their tenant), its
 * tenant's client holding accounts:write (within the tenant), an internal service (within one
 * tenant). Operators move no customer's money.
 */
export function mayMoveMoney(who: Identity, from: Owned, to: { tenantId: string }): boolean {
  if (isCustomerSelf(who, from)) return to.tenantId === from.tenantId;
  if (isTenantClientWith(who, from.tenantId, 'accounts:write')) return to.tenantId === from.tenantId;
  if (who.kind === 'service') return to.tenantId === from.tenantId;
  return false;
}

/** Who may fund an account with play money: operators, or its tenant's client holding sandbox:fund. */
export function mayFundSandbox(who: Identity, account: { tenantId: string }): boolean {
  return isPlatformOperator(who) || isTenantClientWith(who, account.tenantId, 'sandbox:fund');
}

/** Who converts currencies at all (quoteFx, executeFxQuote): customers and tenants' API clients. */
export function mayConvert(who: Identity): boolean {
  return who.kind === 'customer' || who.kind === 'api_client';
}

/** Whether the caller acts for `owner` in a conversion: the customer itself, or its tenant's client holding accounts:write. */
export function mayConvertFor(who: Identity, owner: Owned): boolean {
  return isCustomerSelf(who, owner) || isTenantClientWith(who, owner.tenantId, 'accounts:write');
}

/** Who may read a transfer (accountTransfer) or an FX quote: operators and services all, a tenant's client its tenant's, a customer its own. */
export function maySeeMoneyMovement(who: Identity, row: Owned): boolean {
  return mayRead(who, row);
}

/**
 * Whether a saga id already stored belongs to this caller's request space (the idempotency scope of
 * transfer and fundSandboxAccount): the same tenant and, for a customer, their own.
 */
export function sagaKeyInScope(who: Identity, row: Owned, tenantId: string): boolean {
  return row.tenantId === tenantId && (who.kind !== 'customer' || row.customerId === who.subject);
}

/** The answer to a saga id of another tenant or customer: FORBIDDEN; for operators (who act across tenants) a reused key. */
export function sagaKeyOutOfScope(who: Identity): DomainError {
  return isPlatformOperator(who) ? new DomainError('IDEMPOTENCY_KEY_REUSED') : forbidden();
}
