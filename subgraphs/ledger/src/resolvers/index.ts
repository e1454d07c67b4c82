import type pg from 'pg';
import { badInput, forbidden } from '@baas/errors';
import { missingRecord, requireIdentity } from '@baas/auth';
import { JSONScalar, createByIdLoader, createGroupLoader, isUuid, requireInternal, sequenceArg, type SubgraphContext } from '@baas/server';
import type { LedgerAccount as LedgerAccountRow, PrismaClient } from '../generated/prisma/client';
import type { Resolvers, TransferError, WriteStatus } from '../generated/resolvers-types';
import { createCheckpoint, latestCheckpoint, transferInclusionProof, verifyJournal, type CheckpointKey } from '../services/checkpoints';
import { createLedgerAccounts } from '../services/ledger-accounts';
import { accountStatement } from '../services/statement';
import type { LedgerWriter } from '../services/ledger-writer';
import { ACCOUNT_FLAGS, type TransferRecord, type TransferResult } from '../services/types';
import { canSeeAccount } from '../services/visibility';
import { toAccountRequests, toPostRequests, toTransferRequests, toVoidRequests } from './inputs';

export type LedgerServices = { db: PrismaClient; pool: pg.Pool; writer: LedgerWriter; checkpointKey: CheckpointKey };

const toRecord = (row: Omit<TransferRecord, 'kind' | 'metadata'> & { kind: string; metadata: unknown }): TransferRecord => ({
  ...row,
  kind: row.kind as TransferRecord['kind'],
  metadata: (row.metadata ?? null) as TransferRecord['metadata'],
});

export function createLedgerLoaders(db: PrismaClient) {
  return {
    account: createByIdLoader<string, LedgerAccountRow>((ids) => db.ledgerAccount.findMany({ where: { id: { in: ids } } })),
    transfer: createByIdLoader<string, TransferRecord>(async (ids) => (await db.transfer.findMany({ where: { id: { in: ids } } })).map(toRecord)),
    /** The POST, VOID or EXPIRE that resolved a pending transfer, by the pending transfer's id. */
    resolution: createGroupLoader<string, TransferRecord>(
      (t) => t.pendingId!,
      async (ids) => (await db.transfer.findMany({ where: { pendingId: { in: ids } } })).map(toRecord),
    ),
  };
}

export type LedgerContext = SubgraphContext & LedgerServices & { loaders: ReturnType<typeof createLedgerLoaders> };

export type ChainVerificationResult = Awaited<ReturnType<typeof verifyJournal>>;

const money = (minorUnits: bigint, currency: string) => ({ minorUnits: minorUnits.toString(), currency });

/** An account the caller may read in full; FORBIDDEN otherwise (also for unknown ids, unless internal). */
async function visibleAccount(ctx: LedgerContext, id: string): Promise<LedgerAccountRow> {
  const who = requireIdentity(ctx.identity);
  const row = isUuid(id) ? await ctx.loaders.account.load(id.toLowerCase()) : null;
  if (!row) throw missingRecord(who, 'Ledger account');
  if (!canSeeAccount(who, row)) throw forbidden();
  return row;
}

/** A transfer the caller may read: it must see at least one of its two accounts. */
async function visibleTransfer(ctx: LedgerContext, id: string): Promise<TransferRecord> {
  const who = requireIdentity(ctx.identity);
  const transfer = isUuid(id) ? await ctx.loaders.transfer.load(id.toLowerCase()) : null;
  if (!transfer) throw missingRecord(who, 'Transfer');
  const [debit, credit] = await Promise.all([ctx.loaders.account.load(transfer.debitAccountId), ctx.loaders.account.load(transfer.creditAccountId)]);
  if (!(debit && canSeeAccount(who, debit)) && !(credit && canSeeAccount(who, credit))) throw forbidden();
  return transfer;
}

/** Balances and history are the account holder's business: a counterparty sees only the account's id and kind. */
function assertSees(ctx: LedgerContext, account: LedgerAccountRow): void {
  if (!canSeeAccount(ctx.identity, account)) throw forbidden();
}

function toResultType(r: TransferResult) {
  return {
    id: r.id,
    status: r.status as WriteStatus,
    error: r.status === 'FAILED' ? (r.error as TransferError) : null,
    transfer: r.status === 'FAILED' ? null : r.transfer,
  };
}

const encodeCursor = (seq: bigint) => Buffer.from(`seq:${seq}`).toString('base64url');
function decodeCursor(cursor: string): bigint {
  const text = Buffer.from(cursor, 'base64url').toString();
  if (!text.startsWith('seq:')) throw badInput('after is not a valid cursor.', { field: 'after' });
  return sequenceArg(text.slice(4), 'after', { sign: 'non-negative' });
}

export const resolvers: Resolvers = {
  JSON: JSONScalar,
  Query: {
    ledgerAccount: (_, args, ctx) => visibleAccount(ctx, args.id),
    ledgerAccounts: async (_, args, ctx) => {
      requireIdentity(ctx.identity);
      if (args.ids.length > 500) throw badInput('ids has more than 500 items.', { field: 'ids', limit: 500 });
      return Promise.all(args.ids.map((id) => visibleAccount(ctx, id).catch((e: { code?: string }) => (e.code === 'NOT_FOUND' ? null : Promise.reject(e)))));
    },
    transfer: (_, args, ctx) => visibleTransfer(ctx, args.id),
    verifyLedgerChain: (_, args, ctx) => {
      requireInternal(ctx.identity);
      const seq = (value: string | null | undefined, field: string) => {
        if (value === null || value === undefined) return undefined;
        return sequenceArg(value, field);
      };
      return verifyJournal(ctx.pool, { fromSeq: seq(args.fromSeq, 'fromSeq'), toSeq: seq(args.toSeq, 'toSeq') });
    },
    ledgerCheckpoint: (_, __, ctx) => {
      requireIdentity(ctx.identity);
      return latestCheckpoint(ctx.pool);
    },
    ledgerCheckpointPublicKey: (_, __, ctx) => ctx.checkpointKey.publicKeyPem,
    transferInclusionProof: async (_, args, ctx) => {
      const transfer = await visibleTransfer(ctx, args.transferId);
      return transferInclusionProof(ctx.pool, transfer.id);
    },
  },
  Mutation: {
    createLedgerAccounts: async (_, args, ctx) => {
      requireInternal(ctx.identity);
      const results = await createLedgerAccounts(ctx.pool, toAccountRequests(args.accounts));
      return Promise.all(
        results.map(async (r) => ({
          id: r.id,
          status: r.status as WriteStatus,
          error: r.status === 'FAILED' ? r.error : null,
          account: r.status === 'FAILED' ? null : await ctx.loaders.account.load(r.id),
        })),
      );
    },
    createTransfers: async (_, args, ctx) => {
      requireInternal(ctx.identity);
      return (await ctx.writer.submit(toTransferRequests(args.transfers), { linked: args.linked ?? false })).map(toResultType);
    },
    postPendingTransfers: async (_, args, ctx) => {
      requireInternal(ctx.identity);
      return (await ctx.writer.submit(toPostRequests(args.transfers), { linked: args.linked ?? false })).map(toResultType);
    },
    voidPendingTransfers: async (_, args, ctx) => {
      requireInternal(ctx.identity);
      return (await ctx.writer.submit(toVoidRequests(args.transfers), { linked: args.linked ?? false })).map(toResultType);
    },
    createLedgerCheckpoint: async (_, __, ctx) => {
      const who = requireInternal(ctx.identity);
      if (who.kind !== 'operator') throw forbidden('Only operators may sign checkpoints on demand.');
      return createCheckpoint(ctx.pool, ctx.checkpointKey);
    },
  },
  LedgerAccount: {
    __resolveReference: (ref, ctx) => visibleAccount(ctx, ref.id),
    tenantId: (a, _, ctx) => (assertSees(ctx, a), a.tenantId),
    customerId: (a, _, ctx) => (assertSees(ctx, a), a.customerId),
    flags: (a) =>
      (Object.entries(ACCOUNT_FLAGS) as [keyof typeof ACCOUNT_FLAGS, number][]).filter(([, bit]) => a.flags & bit).map(([name]) => name),
    balance: (a, _, ctx) => {
      assertSees(ctx, a);
      return {
        posted: money(a.creditsPosted - a.debitsPosted, a.currency),
        pendingDebits: money(a.debitsPending, a.currency),
        pendingCredits: money(a.creditsPending, a.currency),
        available: money(a.creditsPosted - a.debitsPosted - a.debitsPending, a.currency),
        debitsPosted: a.debitsPosted.toString(),
        creditsPosted: a.creditsPosted.toString(),
        debitsPending: a.debitsPending.toString(),
        creditsPending: a.creditsPending.toString(),
      };
    },
    transfers: async (a, args, ctx) => {
      assertSees(ctx, a);
      const first = args.first ?? 50;
      if (first < 1 || first > 500) throw badInput('first must be between 1 and 500.', { field: 'first' });
      const before = args.after ? decodeCursor(args.after) : undefined;
      const rows = await ctx.db.transfer.findMany({
        where: { OR: [{ debitAccountId: a.id }, { creditAccountId: a.id }], ...(before !== undefined ? { journalSeq: { lt: before } } : {}) },
        orderBy: { journalSeq: 'desc' },
        take: first + 1,
      });
      const page = rows.slice(0, first).map(toRecord);
      return {
        edges: page.map((node) => ({ cursor: encodeCursor(node.journalSeq), node })),
        pageInfo: { hasNextPage: rows.length > first, endCursor: page.length ? encodeCursor(page[page.length - 1]!.journalSeq) : null },
      };
    },
    statement: (a, args, ctx) => {
      assertSees(ctx, a);
      return accountStatement(ctx.pool, a.id, args);
    },
    createdAt: (a) => a.createdAt.toISOString(),
  },
  Transfer: {
    __resolveReference: (ref, ctx) => visibleTransfer(ctx, ref.id),
    amount: (t) => money(t.amount, t.currency),
    debitAccount: async (t, _, ctx) => (await ctx.loaders.account.load(t.debitAccountId))!,
    creditAccount: async (t, _, ctx) => (await ctx.loaders.account.load(t.creditAccountId))!,
    pendingTransfer: (t, _, ctx) => (t.pendingId ? ctx.loaders.transfer.load(t.pendingId) : null),
    pendingStatus: async (t, _, ctx) => {
      if (t.kind !== 'PENDING') return null;
      const [resolution] = await ctx.loaders.resolution.load(t.id);
      if (!resolution) return 'PENDING';
      return ({ POST: 'POSTED', VOID: 'VOIDED', EXPIRE: 'EXPIRED' } as const)[resolution.kind as 'POST' | 'VOID' | 'EXPIRE'];
    },
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

