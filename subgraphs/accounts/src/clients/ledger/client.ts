import { createInternalClient, type KeepAliveFetch } from '@baas/server';
import {
  CreateLedgerAccountsDocument,
  CreateTransfersDocument,
  LedgerBalancesDocument,
  LedgerStatementDocument,
  PostPendingTransfersDocument,
  VoidPendingTransfersDocument,
  type CreateLedgerAccountInput,
  type LedgerStatementQuery,
  type LedgerStatementQueryVariables,
  type LedgerWriteResultFragment,
  type TransferInput,
  type WriteStatus,
} from './generated/operations';

/** The ledger account and transfer codes accounts writes (what an account or a transfer is for). */
export { LEDGER_CODES, TRANSFER_CODES } from '../../domain/ledger-codes';

export type LedgerBalance = { posted: bigint; pendingDebits: bigint; pendingCredits: bigint; available: bigint; currency: string };
/** A ledger write's outcome; `journalSeq` (of the transfer) lets the read model refuse balances older than the write. */
export type LedgerWrite = { id: string; status: WriteStatus; error: string | null; journalSeq: bigint | null };
/** The ledger's CreateLedgerAccountInput (generated from its SDL). */
export type NewLedgerAccount = CreateLedgerAccountInput;
/** The ledger's TransferInput, the amount as bigint minor units (sent as the ledger's decimal string). */
export type NewTransfer = Omit<TransferInput, 'amount'> & { amount: bigint };
/** One page of a ledger account's statement (the ledger's LedgerStatement). */
export type LedgerStatementPage = NonNullable<LedgerStatementQuery['ledgerAccount']>['statement'];

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
 * The ledger as this subgraph uses it: its GraphQL API through the operations in this folder
 * (`*.graphql`, compiled by codegen against the ledger's own SDL into generated/operations.ts, so
 * variables and results are the ledger's types, not copies), called as the internal service `accounts`
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
  /** A ledger write's result as the operations select it (LedgerWriteResult; accounts' creation has no transfer). */
  type RawWrite = Pick<LedgerWriteResultFragment, 'id' | 'status'> & { error?: string | null; transfer?: LedgerWriteResultFragment['transfer'] };
  const writeResult = (r: RawWrite): LedgerWrite => ({ id: r.id, status: r.status, error: r.error ?? null, journalSeq: r.transfer?.journalSeq ? BigInt(r.transfer.journalSeq) : null });

  return {
    async createAccounts(accounts: NewLedgerAccount[]): Promise<LedgerWrite[]> {
      const data = await client.operation(CreateLedgerAccountsDocument, { accounts });
      return data.createLedgerAccounts.map(writeResult);
    },
    async createTransfers(transfers: NewTransfer[], linked = false): Promise<LedgerWrite[]> {
      const data = await client.operation(CreateTransfersDocument, { transfers: transfers.map((t) => ({ ...t, amount: t.amount.toString() })), linked });
      return data.createTransfers.map(writeResult);
    },
    async postPending(transfers: { id: string; pendingId: string; amount?: bigint }[]): Promise<LedgerWrite[]> {
      const data = await client.operation(PostPendingTransfersDocument, {
        transfers: transfers.map((t) => ({ id: t.id, pendingId: t.pendingId, ...(t.amount !== undefined ? { amount: t.amount.toString() } : {}) })),
      });
      return data.postPendingTransfers.map(writeResult);
    },
    async voidPending(transfers: { id: string; pendingId: string }[]): Promise<LedgerWrite[]> {
      const data = await client.operation(VoidPendingTransfersDocument, { transfers });
      return data.voidPendingTransfers.map(writeResult);
    },
    /** One page of a ledger account's statement over [from, to); null when the ledger has no such account. */
    async statement(variables: LedgerStatementQueryVariables): Promise<LedgerStatementPage | null> {
      const data = await client.operation(LedgerStatementDocument, variables);
      return data.ledgerAccount?.statement ?? null;
    },
    /** Balances of many ledger accounts in one call (null for unknown ids). */
    async balances(ids: readonly string[]): Promise<(LedgerBalance | null)[]> {
      const data = await client.operation(LedgerBalancesDocument, { ids: [...ids] });
      return data.ledgerAccounts.map((a) => {
        if (!a) return null;
        const posted = BigInt(a.balance.creditsPosted) - BigInt(a.balance.debitsPosted);
        const pendingDebits = BigInt(a.balance.debitsPending);
        return { posted, pendingDebits, pendingCredits: BigInt(a.balance.creditsPending), available: posted - pendingDebits, currency: a.currency };
      });
    },
  };
}

export type LedgerClient = ReturnType<typeof createLedgerClient>;
