import type pg from 'pg';
import type { Logger } from '@baas/observability';
import type { BatchJob } from './apply-batch';
import { commitBatch } from './commit-batch';
import type { TransferRequest, TransferResult } from './types';

type Waiting = { job: BatchJob; resolve: (results: TransferResult[]) => void; reject: (error: unknown) => void };

export type LedgerWriterOptions = {
  pool: pg.Pool;
  logger: Logger;
  /** Most transfers committed in one transaction. */
  maxBatchSize?: number;
  /** Called after each committed batch (metrics, tests). */
  onBatch?: (info: { jobs: number; transfers: number; created: number; ms: number }) => void;
};

/**
 * Group commit: requests that arrive while a batch is being committed wait and go together in
 * the next one, so under load one transaction (one fsync, one lock acquisition) carries thousands
 * of transfers, and a lone request still commits at once. One batch at a time per process; across
 * processes the ledger lock orders them.
 */
export class LedgerWriter {
  private readonly queue: Waiting[] = [];
  private running = false;
  private closed = false;
  private readonly maxBatchSize: number;

  constructor(private readonly opts: LedgerWriterOptions) {
    this.maxBatchSize = opts.maxBatchSize ?? 8192;
  }

  /** Submits transfers; `linked` makes them succeed or fail together. Resolves once committed. */
  submit(requests: TransferRequest[], opts: { linked?: boolean } = {}): Promise<TransferResult[]> {
    if (this.closed) return Promise.reject(new Error('ledger writer is closed'));
    if (requests.length === 0) return Promise.resolve([]);
    return new Promise((resolve, reject) => {
      this.queue.push({ job: { requests, linked: opts.linked ?? false }, resolve, reject });
      void this.drain();
    });
  }

  private take(): Waiting[] {
    const batch: Waiting[] = [];
    let size = 0;
    while (this.queue.length > 0) {
      const next = this.queue[0]!;
      if (batch.length > 0 && size + next.job.requests.length > this.maxBatchSize) break;
      batch.push(this.queue.shift()!);
      size += next.job.requests.length;
    }
    return batch;
  }

  private async drain(): Promise<void> {
    if (this.running) return;
    this.running = true;
    try {
      while (this.queue.length > 0) await this.commit(this.take());
    } finally {
      this.running = false;
    }
  }

  private async commit(batch: Waiting[]): Promise<void> {
    const started = process.hrtime.bigint();
    let client: pg.PoolClient | undefined;
    try {
      client = await this.opts.pool.connect();
      const outcome = await commitBatch(client, batch.map((w) => w.job));
      batch.forEach((w, i) => w.resolve(outcome.results[i]!));
      this.opts.onBatch?.({
        jobs: batch.length,
        transfers: batch.reduce((n, w) => n + w.job.requests.length, 0),
        created: outcome.created.length,
        ms: Number(process.hrtime.bigint() - started) / 1e6,
      });
    } catch (error) {
      client?.release(true); // the connection may be broken: do not reuse it
      client = undefined;
      if (batch.length > 1) {
        // Nothing was committed. Commit each job alone, so one caller's failure is not everyone's.
        for (const w of batch) await this.commit([w]);
        return;
      }
      // Nothing of the job was committed: the caller gets the error and may retry (ids make it safe).
      this.opts.logger.error({ err: error }, 'ledger batch failed');
      batch[0]?.reject(error);
    } finally {
      client?.release();
    }
  }

  /** Stops accepting work and waits for what is queued. */
  async close(): Promise<void> {
    this.closed = true;
    while (this.running || this.queue.length > 0) await new Promise((r) => setTimeout(r, 5));
  }
}
