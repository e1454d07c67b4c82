import type { Identity } from '@baas/auth';
import { isAuthenticated, isInternal, isOperator, isPlatformOperator, mayRead, or, ownsParent, publicField, type RuleTree } from '@baas/authz';
import type { LedgerAccountRow } from './store/ledger-account-store';

type AccountOwner = Pick<LedgerAccountRow, 'tenantId' | 'customerId'>;

// Platform accounts (no tenant: FX liquidity, fees) are visible to operators and services only.
const ownsLedgerAccount = or(
  ownsParent((a: AccountOwner) => (a.tenantId ? { tenantId: a.tenantId, ...(a.customerId ? { customerId: a.customerId } : {}) } : null), 'ledger:ownsLedgerAccount'),
  isInternal,
);

/**
 * Who may read a ledger account in full (balances, history, owner): its customer, its tenant's API
 * clients, operators and services. A platform account (no tenant) only operators and services.
 */
export function maySeeLedgerAccount(who: Identity | null, account: AccountOwner): boolean {
  if (!who) return false;
  return mayRead(who, { tenantId: account.tenantId ?? '', customerId: account.customerId ?? undefined });
}

/** Who may read a transfer: whoever may see at least one of its two accounts. */
export function maySeeTransfer(who: Identity | null, debit: AccountOwner | null, credit: AccountOwner | null): boolean {
  return (debit !== null && maySeeLedgerAccount(who, debit)) || (credit !== null && maySeeLedgerAccount(who, credit));
}

/** Who may sign a checkpoint on demand (the ledger signs one on its own timer too): operators only. */
export function maySignCheckpointOnDemand(who: Identity): boolean {
  return isPlatformOperator(who);
}

/**
 * Who may resolve what in the ledger (default deny). Only internal services and operators write;
 * customers read their own accounts and the transfers that touch them (the use cases check each
 * transfer against its accounts; a counterparty's account shows its id and nothing else).
 */
export const ledgerPermissions: RuleTree = {
  Query: {
    ledgerAccount: isAuthenticated,
    ledgerAccounts: isAuthenticated,
    transfer: isAuthenticated,
    verifyLedgerChain: isInternal,
    ledgerCheckpoint: isAuthenticated,
    ledgerCheckpointPublicKey: publicField,
    transferInclusionProof: isAuthenticated,
  },
  Mutation: {
    createLedgerAccounts: isInternal,
    createTransfers: isInternal,
    postPendingTransfers: isInternal,
    voidPendingTransfers: isInternal,
    createLedgerCheckpoint: isOperator,
  },
  LedgerAccount: { '*': ownsLedgerAccount, id: isAuthenticated },
  // Reached only through a visible transfer (Query.transfer and Transfer.__resolveReference check it).
  Transfer: isAuthenticated,
  Money: publicField,
  LedgerBalance: publicField,
  TransferConnection: publicField,
  LedgerStatement: publicField,
  LedgerStatementEntry: publicField,
  TransferEdge: publicField,
  PageInfo: publicField,
  TransferResult: publicField,
  CreateLedgerAccountResult: publicField,
  ChainVerification: publicField,
  LedgerCheckpoint: publicField,
};
