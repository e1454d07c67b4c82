import { createHash } from 'node:crypto';
import type pg from 'pg';
import type { LedgerWriter } from './ledger-writer';

/**
 * The id of the EXPIRE transfer for a pending one: derived, not random, so two ledger instances
 * expiring the same hold at once write one transfer (the second is a replay).
 */
export function expireTransferId(pendingId: string): string {
  const h = createHash('sha256').update(`baas-ledger-expire:${pendingId}`).digest('hex');
  // A UUID (version 8: custom) built from the hash.
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-8${h.slice(13, 16)}-${((parseInt(h.slice(16, 18), 16) & 0x3f) | 0x80).toString(16)}${h.slice(18, 20)}-${h.slice(20, 32)}`;
}

/** Expires every pending transfer whose timeout has passed; returns how many were expired now. */
export async function expirePendingTransfers(opts: { pool: pg.Pool; writer: LedgerWriter; limit?: number }): Promise<number> {
  const due = await opts.pool.query<{ id: string }>(
    `SELECT e.pending_id AS id FROM ledger.pending_expiry e
      WHERE e.expires_at <= now()
        AND NOT EXISTS (SELECT 1 FROM ledger.transfer r WHERE r.pending_id = e.pending_id)
      ORDER BY e.expires_at LIMIT $1`,
    [opts.limit ?? 1000],
  );
  if (due.rows.length === 0) return 0;
  const results = await opts.writer.submit(due.rows.map((row) => ({ kind: 'EXPIRE' as const, id: expireTransferId(row.id), pendingId: row.id })));
  return results.filter((r) => r.status === 'CREATED').length;
}

/** Runs expiry on its own, every `intervalMs`, without any request. */
export function startExpiryWorker(opts: { pool: pg.Pool; writer: LedgerWriter; intervalMs: number; onError: (error: unknown) => void }) {
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
