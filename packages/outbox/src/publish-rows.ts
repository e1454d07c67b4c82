import type { EventBus, PublishResult } from '@baas/events';
import { runWithRequestContext } from '@baas/observability';
import type { OutboxMessage, OutboxRow, OutboxSkip } from './outbox-descriptor';

export type PublishRowsOptions = {
  bus: EventBus;
  /** Publishes fail unless this stream stores the subject, so a mis-routed event is retried, not lost. */
  streamName: string;
  /** In seq order. */
  rows: readonly OutboxRow[];
  prepare: (row: OutboxRow) => OutboxMessage | OutboxSkip | Promise<OutboxMessage | OutboxSkip>;
  /** Whether a `{ skip }` may pass over a row (tracking); otherwise it stops the batch like a throw. */
  maySkip: boolean;
  /** Publishes sent before waiting for their acks. */
  maxInFlight: number;
  /** A wave as one batch with its acks counted in bulk (the bus's publishBatch), when the bus has it; false: one `publish` per row. Default true. */
  batchPublish?: boolean;
  /** Checked between waves: stopping leaves the rest for the next run. */
  shouldStop: () => boolean;
  /** Called for each acknowledged row, in seq order, before the cursor moves over it. */
  onAcked: (row: OutboxRow) => void;
  /** Called for each skipped row. */
  onSkipped: (row: OutboxRow, reason: string) => void;
};

export type PublishOutcome = {
  /** How many rows from the start of `rows` are handled (acknowledged or skipped): the cursor may move over exactly these. */
  handled: number;
  /** Seqs of the handled rows that were skipped. */
  skipped: bigint[];
  /**
   * The first row that failed, when one did; `storedAfter` counts later rows of its wave that the
   * stream stored for the first time, i.e. ahead of it (out of order).
   */
  failure?: { row: OutboxRow; error: unknown; storedAfter: number; unpublishable: boolean };
};

/** A `{ skip }` without tracking: the row is never passed over. */
export class SkipRefused extends Error {
  constructor(readonly reason: string) {
    super(`row cannot be published (${reason}) and this outbox does not track rows, so it is not skipped`);
    this.name = 'SkipRefused';
  }
}

type Prepared = { row: OutboxRow; message: OutboxMessage } | { row: OutboxRow; skip: string };

/**
 * Publishes `rows` in order, in waves of `maxInFlight`, and reports the handled prefix.
 *
 * Order: a wave is submitted in one synchronous pass, so its publishes leave on one connection in
 * seq order and the server stores them in that order (or, when the connection drops, a prefix of
 * them). The next wave starts only once every publish of this one has settled, so no publish is
 * ever in flight behind a failed one: after a failure the retry starts at the failed row and
 * anything after it that did get stored is dropped as a duplicate by its event id. What a wave
 * larger than 1 cannot rule out is the server refusing row n (e.g. during a stream leader
 * election) yet storing n+1 of the same wave; `storedAfter` reports it.
 */
export async function publishRows(opts: PublishRowsOptions): Promise<PublishOutcome> {
  // Everything is prepared before anything is sent, so a row that cannot be published is never
  // overtaken by later rows of its wave: the batch ends right before it.
  const prepared: Prepared[] = [];
  let unpublishable: { row: OutboxRow; error: unknown } | undefined;
  for (const row of opts.rows) {
    try {
      const result = await opts.prepare(row);
      if ('skip' in result) {
        if (!opts.maySkip) throw new SkipRefused(result.skip);
        prepared.push({ row, skip: result.skip });
      } else prepared.push({ row, message: result });
    } catch (error) {
      unpublishable = { row, error };
      break;
    }
  }

  const step = Math.max(1, opts.maxInFlight);
  let handled = 0;
  const skipped: bigint[] = [];
  for (let start = 0; start < prepared.length; start += step) {
    if (start > 0 && opts.shouldStop()) return { handled, skipped };
    const wave = prepared.slice(start, start + step);
    const results = await publishWave(opts, wave);
    for (const [i, result] of results.entries()) {
      const p = wave[i] as Prepared;
      if (result.status === 'rejected') {
        const storedAfter = results.slice(i + 1).filter((r) => r.status === 'fulfilled' && r.value !== undefined && !r.value.duplicate).length;
        return { handled, skipped, failure: { row: p.row, error: result.reason, storedAfter, unpublishable: false } };
      }
      handled += 1;
      if ('skip' in p) {
        skipped.push(p.row.seq);
        opts.onSkipped(p.row, p.skip);
      } else opts.onAcked(p.row);
    }
  }
  return unpublishable ? { handled, skipped, failure: { ...unpublishable, storedAfter: 0, unpublishable: true } } : { handled, skipped };
}

/** One wave's results, in its order (`undefined` for a skipped row). */
async function publishWave(opts: PublishRowsOptions, wave: readonly Prepared[]): Promise<PromiseSettledResult<PublishResult | undefined>[]> {
  const batch = opts.batchPublish === false ? undefined : opts.bus.publishBatch?.bind(opts.bus);
  if (!batch) return Promise.allSettled(wave.map((p) => ('skip' in p ? Promise.resolve(undefined) : publishMessage(opts.bus, opts.streamName, p.message))));
  const sent = wave.flatMap((p) => ('skip' in p ? [] : [p.message]));
  const acks = await batch(sent, { expectedStream: opts.streamName });
  let k = 0;
  return wave.map((p) => ('skip' in p ? { status: 'fulfilled', value: undefined } : (acks[k++] as PromiseSettledResult<PublishResult>)));
}

function publishMessage(bus: EventBus, streamName: string, m: OutboxMessage): Promise<PublishResult> {
  const publish = () => bus.publish(m.subject, m.event, { expectedStream: streamName });
  // @baas/events takes the x-request-id and traceparent headers from the current request context.
  return m.context ? runWithRequestContext(m.context, publish) : publish();
}
