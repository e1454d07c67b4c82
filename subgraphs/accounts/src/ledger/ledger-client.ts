import { createInternalClient, type KeepAliveFetch } from '@baas/server';

/** Ledger account codes this subgraph uses (the ledger's `code`: what an account is for). */
export const LEDGER_CODES = {
  /** A customer's account: may not go below zero (DEBITS_MUST_NOT_EXCEED_CREDITS). */
  CUSTOMER: 100,
  /** A sandbox tenant's funding source of play money, per currency (may go negative). */
  SANDBOX_FUNDING: 900,
  /** The platform's FX liquidity account per currency (no tenant). */
  FX_LIQUIDITY: 910,
} as const;

/** Transfer codes. */
export const TRANSFER_CODES = { TRANSFER: 1, SANDBOX_FUNDING: 2, FX_SELL: 3, FX_BUY: 4 } as const;

export type LedgerBalance = { posted: bigint; pendingDebits: bigint; pendingCredits: bigint; available: bigint; currency: string };
/** A ledger write's outcome; `journalSeq` (of the transfer) lets the read model refuse balances older than the write. */
export type LedgerWrite = { id: string; status: 'CREATED' | 'REPLAYED' | 'FAILED'; error: string | null; journalSeq: bigint | null };
export type NewLedgerAccount = { id: string; tenantId: string | null; customerId: string | null; currency: string; code: number; flags: ('DEBITS_MUST_NOT_EXCEED_CREDITS' | 'CREDITS_MUST_NOT_EXCEED_DEBITS')[] };
export type NewTransfer = {
  id: string;
  debitAccountId: string;
  creditAccountId: string;
  amount: bigint;
  currency: string;
  code: number;
  pending?: boolean;
  timeoutSeconds?: number;
  metadata?: Record<string, unknown>;
};

export class LedgerUnavailableError extends Error {
  override name = 'LedgerUnavailableError';
}

/**
 * The ledger refused to create a platform or customer ledger account (its id exists with other
 * attributes: IDEMPOTENCY_KEY_REUSED, or invalid attributes). Permanent: repeating the same request
 * gets the same answer, so a saga meeting it must end, not retry.
 */
export class LedgerRefusedError extends Error {
  override name = 'LedgerRefusedError';
  constructor(
    readonly accountId: string,
    readonly reason: string,
  ) {
    super(`the ledger refused account ${accountId}: ${reason}`);
  }
}

/**
 * The ledger as this subgraph uses it: its GraphQL API, called as the internal service `accounts`
 * (the shared internal client of @baas/server: signed identity assertion, keep-alive pool, timeout;
 * subgraphs never touch each other's tables). Every write carries a client id, so any call is safe
 * to repeat after a timeout. Any failed call is a LedgerUnavailableError.
 */
export function createLedgerClient(opts: { url: string; secret: string; fetchImpl?: KeepAliveFetch; timeoutMs?: number }) {
  const client = createInternalClient({
    service: 'ledger',
    url: opts.url,
    secret: opts.secret,
    caller: { subject: 'accounts', kind: 'service', tenantId: null, scopes: ['ledger:write'] },
    ...(opts.fetchImpl ? { fetchImpl: opts.fetchImpl } : {}),
    ...(opts.timeoutMs ? { timeoutMs: opts.timeoutMs } : {}),
    toError: (error) => new LedgerUnavailableError(error.errors.length ? `ledger error: ${error.codes.join(', ')}` : error.message, { cause: error.cause ?? error }),
  });
  const call = <T,>(query: string, variables: Record<string, unknown>): Promise<T> => client.call<T>(query, variables);

  type RawWrite = { id: string; status: LedgerWrite['status']; error: string | null; transfer?: { journalSeq: string } | null };
  const writeResult = (r: RawWrite): LedgerWrite => ({ id: r.id, status: r.status, error: r.error, journalSeq: r.transfer?.journalSeq ? BigInt(r.transfer.journalSeq) : null });

  return {
    async createAccounts(accounts: NewLedgerAccount[]): Promise<LedgerWrite[]> {
      const data = await call<{ createLedgerAccounts: RawWrite[] }>(
        'mutation A($a: [CreateLedgerAccountInput!]!) { createLedgerAccounts(accounts: $a) { id status error } }',
        { a: accounts },
      );
      return data.createLedgerAccounts.map(writeResult);
    },
    async createTransfers(transfers: NewTransfer[], linked = false): Promise<LedgerWrite[]> {
      const data = await call<{ createTransfers: RawWrite[] }>(
        'mutation T($t: [TransferInput!]!, $l: Boolean) { createTransfers(transfers: $t, linked: $l) { id status error transfer { journalSeq } } }',
        { t: transfers.map((t) => ({ ...t, amount: t.amount.toString() })), l: linked },
      );
      return data.createTransfers.map(writeResult);
    },
    async postPending(transfers: { id: string; pendingId: string; amount?: bigint }[]): Promise<LedgerWrite[]> {
      const data = await call<{ postPendingTransfers: RawWrite[] }>(
        'mutation P($t: [PostPendingTransferInput!]!) { postPendingTransfers(transfers: $t) { id status error transfer { journalSeq } } }',
        { t: transfers.map((t) => ({ id: t.id, pendingId: t.pendingId, ...(t.amount !== undefined ? { amount: t.amount.toString() } : {}) })) },
      );
      return data.postPendingTransfers.map(writeResult);
    },
    async voidPending(transfers: { id: string; pendingId: string }[]): Promise<LedgerWrite[]> {
      const data = await call<{ voidPendingTransfers: RawWrite[] }>(
        'mutation V($t: [VoidPendingTransferInput!]!) { voidPendingTransfers(transfers: $t) { id status error transfer { journalSeq } } }',
        { t: transfers },
      );
      return data.voidPendingTransfers.map(writeResult);
    },
    /** Balances of many ledger accounts in one call (null for unknown ids). */
    async balances(ids: readonly string[]): Promise<(LedgerBalance | null)[]> {
      type Raw = { id: string; currency: string; balance: { debitsPosted: string; creditsPosted: string; debitsPending: string; creditsPending: string } } | null;
      const data = await call<{ ledgerAccounts: Raw[] }>(
        'query B($ids: [ID!]!) { ledgerAccounts(ids: $ids) { id currency balance { debitsPosted creditsPosted debitsPending creditsPending } } }',
        { ids },
      );
      return data.ledgerAccounts.map((a) => {
        if (!a) return null;
        const posted = BigInt(a.balance.creditsPosted) - BigInt(a.balance.debitsPosted);
        const pendingDebits = BigInt(a.balance.debitsPending);
        return { posted, pendingDebits, pendingCredits: BigInt(a.balance.creditsPending), available: posted - pendingDebits, currency: a.currency };
      });
    },
    call,
  };
}

export type LedgerClient = ReturnType<typeof createLedgerClient>;
