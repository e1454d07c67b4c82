/** The ledger's domain types: accounts with TigerBeetle-style counters, transfers, results. */

export const ACCOUNT_FLAGS = {
  /** The account's debits (posted + pending) may never exceed its posted credits: it cannot go negative. */
  DEBITS_MUST_NOT_EXCEED_CREDITS: 1,
  /** The reverse, for accounts that must keep a debit balance (for example a bank's own cash). */
  CREDITS_MUST_NOT_EXCEED_DEBITS: 2,
} as const;

export type AccountBalances = {
  debitsPosted: bigint;
  creditsPosted: bigint;
  debitsPending: bigint;
  creditsPending: bigint;
};

export type AccountState = AccountBalances & {
  id: string;
  currency: string;
  flags: number;
  /** The owning tenant (null for the platform's own accounts); carried into events, never changed here. */
  tenantId?: string | null;
};

export type TransferKind = 'SINGLE' | 'PENDING' | 'POST' | 'VOID' | 'EXPIRE';

/** What a client asks for. POST/VOID/EXPIRE name the pending transfer; their accounts come from it. */
export type TransferRequest =
  | {
      kind: 'SINGLE' | 'PENDING';
      id: string;
      debitAccountId: string;
      creditAccountId: string;
      amount: bigint;
      currency: string;
      code: number;
      /** PENDING only: the hold expires on its own after this many seconds (0 or absent: never). */
      timeoutSeconds?: number;
      metadata?: Record<string, unknown>;
    }
  | { kind: 'POST'; id: string; pendingId: string; /** Up to the held amount; absent = all of it. */ amount?: bigint; metadata?: Record<string, unknown> }
  | { kind: 'VOID' | 'EXPIRE'; id: string; pendingId: string; metadata?: Record<string, unknown> };

/** A committed transfer, as stored. */
export type TransferRecord = {
  id: string;
  kind: TransferKind;
  debitAccountId: string;
  creditAccountId: string;
  amount: bigint;
  currency: string;
  code: number;
  pendingId: string | null;
  timeoutSeconds: number | null;
  expiresAt: Date | null;
  linkedGroup: string | null;
  metadata: Record<string, unknown> | null;
  requestHash: string;
  journalSeq: bigint;
  createdAt: Date;
};

/** A pending transfer and whether something already resolved it. */
export type PendingState = { transfer: TransferRecord; resolvedBy: 'POST' | 'VOID' | 'EXPIRE' | null };

/** Why a transfer was refused; stable codes (docs/ledger.md). */
export type TransferErrorCode =
  | 'IDEMPOTENCY_KEY_REUSED'
  | 'LINKED_TRANSFER_FAILED'
  | 'AMOUNT_MUST_BE_POSITIVE'
  | 'ACCOUNTS_MUST_BE_DIFFERENT'
  | 'ACCOUNT_NOT_FOUND'
  | 'CURRENCY_MISMATCH'
  | 'INSUFFICIENT_FUNDS'
  | 'EXCEEDS_DEBITS'
  | 'INVALID_TIMEOUT'
  | 'PENDING_TRANSFER_NOT_FOUND'
  | 'PENDING_TRANSFER_ALREADY_POSTED'
  | 'PENDING_TRANSFER_ALREADY_VOIDED'
  | 'PENDING_TRANSFER_ALREADY_EXPIRED'
  | 'PENDING_TRANSFER_EXPIRED'
  | 'PENDING_TRANSFER_NOT_EXPIRED'
  | 'EXCEEDS_PENDING_AMOUNT'
  // A counter would pass the largest signed 64-bit integer (the database's bigint), TigerBeetle's overflow results.
  | 'OVERFLOWS_DEBITS_PENDING'
  | 'OVERFLOWS_CREDITS_PENDING'
  | 'OVERFLOWS_DEBITS_POSTED'
  | 'OVERFLOWS_CREDITS_POSTED'
  | 'OVERFLOWS_DEBITS'
  | 'OVERFLOWS_CREDITS';

/**
 * The largest value an account counter (and an amount) may take: PostgreSQL's bigint is a signed
 * 64-bit integer. The pure core refuses a transfer that would pass it, before anything is written.
 */
export const MAX_COUNTER = 2n ** 63n - 1n;

export type TransferResult =
  | { id: string; status: 'CREATED'; transfer: TransferRecord }
  | { id: string; status: 'REPLAYED'; transfer: TransferRecord }
  | { id: string; status: 'FAILED'; error: TransferErrorCode };
