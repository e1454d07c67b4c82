import type { AccountState, TransferKind, TransferRecord } from './types';

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

export const ACCOUNT_COLUMNS = 'id, currency, flags, debits_posted, credits_posted, debits_pending, credits_pending';

export type AccountRow = {
  id: string;
  currency: string;
  flags: number;
  debits_posted: string;
  credits_posted: string;
  debits_pending: string;
  credits_pending: string;
};

export function accountFromRow(row: AccountRow): AccountState {
  return {
    id: row.id,
    currency: row.currency,
    flags: row.flags,
    debitsPosted: BigInt(row.debits_posted),
    creditsPosted: BigInt(row.credits_posted),
    debitsPending: BigInt(row.debits_pending),
    creditsPending: BigInt(row.credits_pending),
  };
}
