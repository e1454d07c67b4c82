import type pg from 'pg';
import type { PrismaClient } from '../generated/prisma/client';
import type { TransferKind, TransferRecord } from '../domain/types';

export type { TransferRecord } from '../domain/types';

/** Column lists and row mappers for the ledger's raw-SQL paths (pg returns int8 as strings). */
export const TRANSFER_COLUMNS = `id, kind, debit_account_id, credit_account_id, amount, currency, code, pending_id, timeout_seconds,
  expires_at, linked_group, metadata, request_hash, journal_seq, created_at`;

export type TransferRow = {
  id: string;
  kind: string;
  debit_account_id: string;
  credit_account_id: string;
  amount: string;
  currency: string;
  code: number;
  pending_id: string | null;
  timeout_seconds: number | null;
  expires_at: Date | null;
  linked_group: string | null;
  metadata: Record<string, unknown> | null;
  request_hash: string;
  journal_seq: string;
  created_at: Date;
};

export function transferFromRow(row: TransferRow): TransferRecord {
  return {
    id: row.id,
    kind: row.kind as TransferKind,
    debitAccountId: row.debit_account_id,
    creditAccountId: row.credit_account_id,
    amount: BigInt(row.amount),
    currency: row.currency,
    code: row.code,
    pendingId: row.pending_id,
    timeoutSeconds: row.timeout_seconds,
    expiresAt: row.expires_at,
    linkedGroup: row.linked_group,
    metadata: row.metadata,
    requestHash: row.request_hash,
    journalSeq: BigInt(row.journal_seq),
    createdAt: row.created_at,
  };
}

/** A transfer as Prisma reads it. */
const toRecord = (row: Omit<TransferRecord, 'kind' | 'metadata'> & { kind: string; metadata: unknown }): TransferRecord => ({
  ...row,
  kind: row.kind as TransferRecord['kind'],
  metadata: (row.metadata ?? null) as TransferRecord['metadata'],
});

/**
 * Reads of committed transfers (writes go through the batch store, under the ledger lock). The
 * Prisma client serves the per-request reads; a store opened without it (tests, the benchmark)
 * has the pg reads only.
 */
export function createTransferStore(pool: pg.Pool, db?: PrismaClient) {
  const prisma = (): PrismaClient => {
    if (!db) throw new Error('this transfer store was opened without a Prisma client');
    return db;
  };
  return {
    async findByIds(ids: readonly string[]): Promise<TransferRecord[]> {
      return (await prisma().transfer.findMany({ where: { id: { in: [...ids] } } })).map(toRecord);
    },
    /** The POST, VOID or EXPIRE that resolved each of these pending transfers. */
    async findResolutions(pendingIds: readonly string[]): Promise<TransferRecord[]> {
      return (await prisma().transfer.findMany({ where: { pendingId: { in: [...pendingIds] } } })).map(toRecord);
    },
    /** An account's transfers, newest journal entry first, before `beforeSeq` when given; `take` rows at most. */
    async pageOfAccount(accountId: string, take: number, beforeSeq?: bigint): Promise<TransferRecord[]> {
      const rows = await prisma().transfer.findMany({
        where: { OR: [{ debitAccountId: accountId }, { creditAccountId: accountId }], ...(beforeSeq !== undefined ? { journalSeq: { lt: beforeSeq } } : {}) },
        orderBy: { journalSeq: 'desc' },
        take,
      });
      return rows.map(toRecord);
    },
    /** Ids of timed holds past their expiry that nothing resolved yet, soonest first. */
    async dueExpiries(limit: number): Promise<string[]> {
      const due = await pool.query<{ id: string }>(
        `SELECT e.pending_id AS id FROM ledger.pending_expiry e
          WHERE e.expires_at <= now()
            AND NOT EXISTS (SELECT 1 FROM ledger.transfer r WHERE r.pending_id = e.pending_id)
          ORDER BY e.expires_at LIMIT $1`,
        [limit],
      );
      return due.rows.map((row) => row.id);
    },
  };
}

export type TransferStore = ReturnType<typeof createTransferStore>;
