import type pg from 'pg';
import type { Logger } from '@baas/observability';
import type { BatchJob } from '../domain/apply-batch';
import type { TransferRequest, TransferResult } from '../domain/types';
import { commitBatch, loadBatchState, prepareBatch, type BatchTail, type ChainHead, type PreparedBatch } from '../store/batch-store';

/** A batch being committed: `tail` resolves once it is prepared (before it is written), `done` once it committed or failed. */
type InFlight = { done: Promise<boolean>; tail: Promise<BatchTail | undefined> };

type Waiting = { job: BatchJob; resolve: (results: TransferResult[]) => void; reject: (error: unknown) => void };

export type LedgerWriterOptions = {
  pool: pg.Pool;
  logger: Logger;
  /** Most transfers committed in one transaction. */
  maxBatchSize?: number;
  /** Called after each committed batch (metrics, tests). */
  onBatch?: (info: { jobs: number; transfers: number; created: number; ms: number; speculative: boolean }) => void;
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
    this.maxBatchSize = opts.maxBatchSize ?? 4096;
  }

  /** Submits transfers; `linked` makes them succeed or fail together. Resolves once committed. */
  submit(requests: TransferRequest[], opts: { linked?: boolean } = {}): Promise<TransferResult[]> {
    if (this.closed) return Promise.reject(new Error('ledger writer is closed'));
    if (requests.length === 0) return Promise.resolve([]);
    return new Promise((resolve, reject) => {
      this.queue.push({ job: { requests, linked: opts.linked ?? false }, resolve, reject });
      // drain() settles every waiter it takes and never rejects; the catch is a last line, not a path.
      this.drain().catch((error: unknown) => this.opts.logger.error({ err: error }, 'ledger writer loop failed'));
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
      // Pipelining: while one batch is written, the next is loaded and applied on top of the
      // state the first leaves (its tail), so Node's work overlaps PostgreSQL's.
      let previous: InFlight | null = null;
      while (this.queue.length > 0 || previous) {
        if (this.queue.length === 0) {
          await previous!.done;
          previous = null;
          continue;
        }
        const batch = this.take();
        previous = await this.start(batch, previous);
      }
    } finally {
      this.running = false;
    }
  }

  /** Rejects every caller of a batch that could not be committed (nothing of it was written). */
  private fail(batch: Waiting[], error: unknown): void {
    this.opts.logger.error({ err: error, jobs: batch.length }, 'ledger batch failed');
    for (const w of batch) w.reject(error);
  }

  /**
   * Starts committing `batch`; resolves once its prepared state is known (before it is written).
   * Never rejects: a failure of any step (the database refusing connections, a restart mid-write)
   * settles the batch's callers, and the loop goes on with the next batch.
   */
  private async start(batch: Waiting[], previous: InFlight | null): Promise<InFlight> {
    const failed: InFlight = { done: Promise.resolve(false), tail: Promise.resolve(undefined) };
    const jobs = batch.map((w) => w.job);
    const started = process.hrtime.bigint();
    let speculative: { prepared: PreparedBatch; after: ChainHead } | undefined;
    const tail = previous ? await previous.tail : undefined;
    if (previous && tail) {
      try {
        const reader = await this.opts.pool.connect();
        try {
          speculative = { prepared: prepareBatch(jobs, await loadBatchState(reader, jobs, tail), tail.head), after: tail.head };
          reader.release();
        } catch (error) {
          reader.release(error instanceof Error ? error : true);
          throw error;
        }
      } catch {
        speculative = undefined; // it is only a head start: the locked path redoes it
      }
      // The tail is only good if the previous batch committed.
      if (!(await previous.done)) speculative = undefined;
    } else if (previous) {
      await previous.done;
    }

    let client: pg.PoolClient;
    try {
      client = await this.opts.pool.connect();
    } catch (error) {
      // PostgreSQL unreachable or shutting down (57P03): this batch fails, the next one tries again.
      this.fail(batch, error);
      return failed;
    }
    let settle!: (ok: boolean) => void;
    let prepared!: (tail: BatchTail | undefined) => void;
    const done = new Promise<boolean>((resolve) => (settle = resolve));
    const inFlight: InFlight = { done, tail: new Promise((resolve) => (prepared = resolve)) };
    commitBatch(client, jobs, { speculative, onPrepared: (p) => prepared(p.tail) })
      .then(
        (result) => {
          client.release();
          batch.forEach((w, i) => w.resolve(result.outcome.results[i]!));
          this.opts.onBatch?.({
            jobs: batch.length,
            transfers: batch.reduce((n, w) => n + w.job.requests.length, 0),
            created: result.outcome.created.length,
            ms: Number(process.hrtime.bigint() - started) / 1e6,
            speculative: result.speculative === true,
          });
        },
        async (error: unknown) => {
          prepared(undefined);
          client.release(true); // the connection may be broken: do not reuse it
          if (batch.length > 1) {
            // Nothing was committed (or, if only the COMMIT's answer was lost, each job replays).
            // Commit each job alone, so one caller's failure is not everyone's.
            for (const w of batch) await this.commitAlone(w);
          } else {
            this.fail(batch, error);
          }
          settle(false);
        },
      )
      .catch((error: unknown) => {
        // Only a bug gets here (a throwing onBatch hook): every caller is settled already or now.
        this.opts.logger.error({ err: error }, 'ledger writer: unexpected error after a batch');
        for (const w of batch) w.reject(error);
      })
      .finally(() => {
        prepared(undefined);
        settle(true);
      });
    return inFlight;
  }

  /** Commits one job in its own transaction; settles its caller whatever happens (connecting included). */
  private async commitAlone(w: Waiting): Promise<void> {
    let client: pg.PoolClient;
    try {
      client = await this.opts.pool.connect();
    } catch (error) {
      this.fail([w], error);
      return;
    }
    try {
      const prepared = await commitBatch(client, [w.job]);
      client.release();
      w.resolve(prepared.outcome.results[0]!);
    } catch (error) {
      client.release(true);
      this.fail([w], error);
    }
  }

  /** Stops accepting work and waits for what is queued. */
  async close(): Promise<void> {
    this.closed = true;
    while (this.running || this.queue.length > 0) await new Promise((r) => setTimeout(r, 5));
  }
}
