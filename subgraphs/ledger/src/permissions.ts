import { isAuthenticated, isInternal, isOperator, or, ownsParent, publicField, type RuleTree } from '@baas/authz';
import type { LedgerAccount as LedgerAccountRow } from './generated/prisma/client';

// Platform accounts (no tenant: FX liquidity, fees) are visible to operators and services only.
const ownsLedgerAccount = or(
  ownsParent(
    (a: Pick<LedgerAccountRow, 'tenantId' | 'customerId'>) => (a.tenantId ? { tenantId: a.tenantId, ...(a.customerId ? { customerId: a.customerId } : {}) } : null),
    'ledger:ownsLedgerAccount',
  ),
  isInternal,
);

/**
 * Who may resolve what in the ledger (default deny). Only internal services and operators write;
 * customers read their own accounts and the transfers that touch them (the resolvers check each
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
