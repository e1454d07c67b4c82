import { createInternalClient, type KeepAliveFetch } from '@baas/server';
import {
  CreateLedgerAccountsDocument,
  CreateTransfersDocument,
  PostPendingTransfersDocument,
  VoidPendingTransfersDocument,
  type CreateLedgerAccountInput,
  type LedgerWriteResultFragment,
  type TransferInput,
  type WriteStatus,
} from './generated/operations';

/** A ledger write's outcome (CREATED, REPLAYED or FAILED with the ledger's error code). */
export type LedgerWrite = { id: string; status: WriteStatus; error: string | null };
/** The ledger's TransferInput, the amount as bigint minor units. */
export type NewTransfer = Omit<TransferInput, 'amount'> & { amount: bigint };

/** The ledger could not be reached or answered errors: transient, the caller retries (every id is derived). */
export class LedgerUnavailableError extends Error {
  override name = 'LedgerUnavailableError';
}

/** Whether a write took effect now or earlier (a repeat answers REPLAYED). */
export const written = (w: LedgerWrite | undefined): boolean => w?.status === 'CREATED' || w?.status === 'REPLAYED';

/**
 * The ledger as cards uses it (operations in this folder, compiled against the ledger's SDL),
 * called as the internal service `cards`. Every write carries a derived id, so any call is safe
 * to repeat after a timeout.
 */
export function createLedgerClient(opts: { url: string; secret: string; fetchImpl?: KeepAliveFetch; timeoutMs?: number }) {
  const client = createInternalClient({
    service: 'ledger',
    url: opts.url,
    secret: opts.secret,
    caller: { subject: 'cards', kind: 'service', tenantId: null, scopes: ['ledger:write'] },
    ...(opts.fetchImpl ? { fetchImpl: opts.fetchImpl } : {}),
    ...(opts.timeoutMs ? { timeoutMs: opts.timeoutMs } : {}),
    toError: (error) => new LedgerUnavailableError(error.errors.length ? `ledger error: ${error.codes.join(', ')}` : error.message, { cause: error.cause ?? error }),
  });
  const result = (r: Pick<LedgerWriteResultFragment, 'id' | 'status'> & { error?: string | null }): LedgerWrite => ({ id: r.id, status: r.status, error: r.error ?? null });
  return {
    async createAccounts(accounts: CreateLedgerAccountInput[]): Promise<LedgerWrite[]> {
      return (await client.operation(CreateLedgerAccountsDocument, { accounts })).createLedgerAccounts.map(result);
    },
    async createTransfers(transfers: NewTransfer[], linked = false): Promise<LedgerWrite[]> {
      const data = await client.operation(CreateTransfersDocument, { transfers: transfers.map((t) => ({ ...t, amount: t.amount.toString() })), linked });
      return data.createTransfers.map(result);
    },
    /** Posts holds, all of each or `amount` of it (posting part releases the rest). */
    async postPending(transfers: { id: string; pendingId: string; amount?: bigint }[]): Promise<LedgerWrite[]> {
      const input = transfers.map((t) => ({ id: t.id, pendingId: t.pendingId, ...(t.amount === undefined ? {} : { amount: t.amount.toString() }) }));
      return (await client.operation(PostPendingTransfersDocument, { transfers: input })).postPendingTransfers.map(result);
    },
    async voidPending(transfers: { id: string; pendingId: string }[]): Promise<LedgerWrite[]> {
      return (await client.operation(VoidPendingTransfersDocument, { transfers })).voidPendingTransfers.map(result);
    },
  };
}

export type LedgerClient = ReturnType<typeof createLedgerClient>;
