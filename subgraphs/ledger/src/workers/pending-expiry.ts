import { expireTransferId } from '../domain/expire-transfer-id';
import type { TransferRequest, TransferResult } from '../domain/types';
import type { TransferStore } from '../store/transfer-store';

export type ExpiryDeps = {
  transfers: Pick<TransferStore, 'dueExpiries'>;
  writer: { submit(requests: TransferRequest[]): Promise<TransferResult[]> };
  limit?: number;
};

/** Expires every pending transfer whose timeout has passed; returns how many were expired now. */
export async function expirePendingTransfers(opts: ExpiryDeps): Promise<number> {
  const due = await opts.transfers.dueExpiries(opts.limit ?? 1000);
  if (due.length === 0) return 0;
  const results = await opts.writer.submit(due.map((id) => ({ kind: 'EXPIRE' as const, id: expireTransferId(id), pendingId: id })));
  return results.filter((r) => r.status === 'CREATED').length;
}

/** Runs expiry on its own, every `intervalMs`, without any request. */
export function startExpiryWorker(opts: ExpiryDeps & { intervalMs: number; onError: (error: unknown) => void }) {
  let stopped = false;
  let running: Promise<void> = Promise.resolve();
  const tick = async () => {
    try {
      while (!stopped && (await expirePendingTransfers(opts)) > 0) {
        // more may be due: loop until none
      }
    } catch (error) {
      opts.onError(error);
    }
  };
  const timer = setInterval(() => {
    running = running.then(tick);
  }, opts.intervalMs);
  timer.unref();
  return {
    async stop() {
      stopped = true;
      clearInterval(timer);
      await running;
    },
  };
}
