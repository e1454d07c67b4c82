import { JSONScalar, sequenceArg } from '@baas/server';
import type { LedgerContext } from '../context';
import { ACCOUNT_FLAGS, type TransferResult } from '../domain/types';
import type { Resolvers, TransferError, WriteStatus } from '../generated/resolvers-types';
import { checkLedgerAccountAccess } from '../use-cases/check-ledger-account-access';
import { createLedgerAccounts } from '../use-cases/create-ledger-accounts';
import { createLedgerCheckpoint } from '../use-cases/create-ledger-checkpoint';
import { createTransfers } from '../use-cases/create-transfers';
import { getBalance } from '../use-cases/get-balance';
import { getLatestCheckpoint } from '../use-cases/get-latest-checkpoint';
import { getLedgerAccount } from '../use-cases/get-ledger-account';
import { getLedgerAccounts } from '../use-cases/get-ledger-accounts';
import { getStatement } from '../use-cases/get-statement';
import { getTransfer } from '../use-cases/get-transfer';
import { getTransferInclusionProof } from '../use-cases/get-transfer-inclusion-proof';
import { listAccountTransfers } from '../use-cases/list-account-transfers';
import { postPendingTransfers } from '../use-cases/post-pending-transfers';
import { verifyLedgerChain } from '../use-cases/verify-ledger-chain';
import { voidPendingTransfers } from '../use-cases/void-pending-transfers';
import { pendingStatusOf } from '../domain/pending-status';
import { toAccountRequests, toPostRequests, toTransferRequests, toVoidRequests } from './inputs';

const money = (minorUnits: bigint, currency: string) => ({ minorUnits: minorUnits.toString(), currency });

/** What the account and transfer reads need: the request's loaders. */
const readDeps = (ctx: LedgerContext) => ({ accounts: ctx.loaders.account, transfers: ctx.loaders.transfer });

function toResultType(r: TransferResult) {
  return {
    id: r.id,
    status: r.status as WriteStatus,
    error: r.status === 'FAILED' ? (r.error as TransferError) : null,
    transfer: r.status === 'FAILED' ? null : r.transfer,
  };
}

const optionalSeq = (value: string | null | undefined, field: string) => (value === null || value === undefined ? undefined : sequenceArg(value, field));

export const resolvers: Resolvers = {
  JSON: JSONScalar,
  Query: {
    ledgerAccount: (_, args, ctx) => getLedgerAccount(readDeps(ctx), ctx.identity, { id: args.id }),
    ledgerAccounts: (_, args, ctx) => getLedgerAccounts(readDeps(ctx), ctx.identity, { ids: args.ids }),
    transfer: (_, args, ctx) => getTransfer(readDeps(ctx), ctx.identity, { id: args.id }),
    verifyLedgerChain: (_, args, ctx) =>
      verifyLedgerChain({ journal: ctx.stores.journal }, ctx.identity, { fromSeq: optionalSeq(args.fromSeq, 'fromSeq'), toSeq: optionalSeq(args.toSeq, 'toSeq') }),
    ledgerCheckpoint: (_, __, ctx) => getLatestCheckpoint({ checkpoints: ctx.stores.checkpoints }, ctx.identity),
    ledgerCheckpointPublicKey: (_, __, ctx) => ctx.checkpointKey.publicKeyPem,
    transferInclusionProof: (_, args, ctx) =>
      getTransferInclusionProof({ ...readDeps(ctx), journal: ctx.stores.journal, checkpoints: ctx.stores.checkpoints }, ctx.identity, { transferId: args.transferId }),
  },
  Mutation: {
    createLedgerAccounts: async (_, args, ctx) => {
      const results = await createLedgerAccounts({ accounts: ctx.stores.accounts }, ctx.identity, { accounts: toAccountRequests(args.accounts) });
      return Promise.all(
        results.map(async (r) => ({
          id: r.id,
          status: r.status as WriteStatus,
          error: r.status === 'FAILED' ? r.error : null,
          account: r.status === 'FAILED' ? null : await ctx.loaders.account.load(r.id),
        })),
      );
    },
    createTransfers: async (_, args, ctx) =>
      (await createTransfers({ writer: ctx.writer }, ctx.identity, { transfers: toTransferRequests(args.transfers), linked: args.linked ?? false })).map(toResultType),
    postPendingTransfers: async (_, args, ctx) =>
      (await postPendingTransfers({ writer: ctx.writer }, ctx.identity, { transfers: toPostRequests(args.transfers), linked: args.linked ?? false })).map(toResultType),
    voidPendingTransfers: async (_, args, ctx) =>
      (await voidPendingTransfers({ writer: ctx.writer }, ctx.identity, { transfers: toVoidRequests(args.transfers), linked: args.linked ?? false })).map(toResultType),
    createLedgerCheckpoint: (_, __, ctx) => createLedgerCheckpoint({ signer: ctx.signer }, ctx.identity),
  },
  LedgerAccount: {
    __resolveReference: (ref, ctx) => getLedgerAccount(readDeps(ctx), ctx.identity, { id: ref.id }),
    tenantId: (a, _, ctx) => checkLedgerAccountAccess({}, ctx.identity, { account: a }).tenantId,
    customerId: (a, _, ctx) => checkLedgerAccountAccess({}, ctx.identity, { account: a }).customerId,
    flags: (a) =>
      (Object.entries(ACCOUNT_FLAGS) as [keyof typeof ACCOUNT_FLAGS, number][]).filter(([, bit]) => a.flags & bit).map(([name]) => name),
    balance: (a, _, ctx) => {
      const b = getBalance({}, ctx.identity, { account: a });
      return {
        posted: money(b.posted, a.currency),
        pendingDebits: money(b.pendingDebits, a.currency),
        pendingCredits: money(b.pendingCredits, a.currency),
        available: money(b.available, a.currency),
        debitsPosted: b.debitsPosted.toString(),
        creditsPosted: b.creditsPosted.toString(),
        debitsPending: b.debitsPending.toString(),
        creditsPending: b.creditsPending.toString(),
      };
    },
    transfers: (a, args, ctx) => listAccountTransfers({ transfers: ctx.stores.transfers }, ctx.identity, { account: a, first: args.first, after: args.after }),
    statement: (a, args, ctx) => getStatement({ statements: ctx.stores.statements }, ctx.identity, { account: a, window: args }),
    createdAt: (a) => a.createdAt.toISOString(),
  },
  Transfer: {
    __resolveReference: (ref, ctx) => getTransfer(readDeps(ctx), ctx.identity, { id: ref.id }),
    amount: (t) => money(t.amount, t.currency),
    debitAccount: async (t, _, ctx) => (await ctx.loaders.account.load(t.debitAccountId))!,
    creditAccount: async (t, _, ctx) => (await ctx.loaders.account.load(t.creditAccountId))!,
    pendingTransfer: (t, _, ctx) => (t.pendingId ? ctx.loaders.transfer.load(t.pendingId) : null),
    pendingStatus: async (t, _, ctx) => pendingStatusOf(t, t.kind === 'PENDING' ? (await ctx.loaders.resolution.load(t.id))[0] : undefined),
    expiresAt: (t) => t.expiresAt?.toISOString() ?? null,
    journalSeq: (t) => t.journalSeq.toString(),
    createdAt: (t) => t.createdAt.toISOString(),
  },
  LedgerCheckpoint: {
    treeSize: (c) => c.treeSize.toString(),
    rootHash: (c) => c.rootHash.toString('hex'),
    chainHead: (c) => c.chainHead.toString('hex'),
    signature: (c) => c.signature.toString('base64'),
  },
  ChainVerification: {
    fromSeq: (v) => v.fromSeq.toString(),
    toSeq: (v) => v.toSeq.toString(),
    firstBadSeq: (v) => (v.ok ? null : v.firstBadSeq.toString()),
    reason: (v) => (v.ok ? null : v.reason),
  },
};
