import type { DomainEvent, EventBus, PublishResult } from '@baas/events';
import { parseTraceparent, runWithRequestContext, sanitizeCorrelationId } from '@baas/observability';
import type { RequestContext } from '@baas/observability';
import { parseOutboxPayload } from './outbox-row';
import type { OutboxRow } from './outbox-row';

export type PublishOutboxRowsOptions = {
  bus: EventBus;
  /** Publishes fail unless this stream stores the subject, so a mis-routed event is retried, not lost. */
  streamName: string;
  /** In seq order, gapless. */
  rows: readonly OutboxRow[];
  /** Publishes sent before waiting for their acks. */
  maxInFlight: number;
  /** Checked between waves: stopping leaves the rest for the next run. */
  shouldStop: () => boolean;
  /** Called for each acknowledged row, in seq order, before the cursor moves over it. */
  onAcked: (row: OutboxRow) => void;
};

export type PublishOutcome = {
  /** How many rows from the start of `rows` are acknowledged: the cursor may move over exactly these. */
  acked: number;
  /**
   * The first row whose publish failed, when one did; `storedAfter` counts later rows of its wave
   * that the stream stored for the first time, i.e. ahead of it (out of order).
   */
  failure?: { row: OutboxRow; error: unknown; storedAfter: number };
};

/**
 * Publishes `rows` in order, in waves of `maxInFlight`, and reports the acknowledged prefix.
 *
 * Order: a wave is submitted in one synchronous pass, so its publishes leave on one connection in
 * seq order and the server stores them in that order (or, when the connection drops, a prefix of
 * them). The next wave starts only once every publish of this one has settled, so no publish is
 * ever in flight behind a failed one: after a failure the retry starts at the failed row and
 * anything after it that did get stored is dropped as a duplicate by its event id. What a wave
 * larger than 1 cannot rule out is the server refusing row n (e.g. during a stream leader
 * election) yet storing n+1 of the same wave; `storedAfter` reports it.
 */
export async function publishOutboxRows(opts: PublishOutboxRowsOptions): Promise<PublishOutcome> {
  // Everything is prepared before anything is sent, so a row that cannot be published is never
  // overtaken by later rows of its wave: the batch ends right before it.
  const prepared: PreparedEvent[] = [];
  let unpublishable: { row: OutboxRow; error: unknown } | undefined;
  for (const row of opts.rows) {
    try {
      prepared.push(prepareEvent(row));
    } catch (error) {
      unpublishable = { row, error };
      break;
    }
  }

  const step = Math.max(1, opts.maxInFlight);
  let acked = 0;
  for (let start = 0; start < prepared.length; start += step) {
    if (start > 0 && opts.shouldStop()) return { acked };
    const wave = prepared.slice(start, start + step);
    const results = await Promise.allSettled(wave.map((p) => publishPrepared(opts.bus, opts.streamName, p)));
    for (const [i, result] of results.entries()) {
      const { row } = wave[i] as PreparedEvent;
      if (result.status === 'rejected') {
        const storedAfter = results.slice(i + 1).filter((r) => r.status === 'fulfilled' && !r.value.duplicate).length;
        return { acked, failure: { row, error: result.reason, storedAfter } };
      }
      acked += 1;
      opts.onAcked(row);
    }
  }
  return unpublishable ? { acked, failure: { ...unpublishable, storedAfter: 0 } } : { acked };
}

type PreparedEvent = { row: OutboxRow; event: DomainEvent; ctx: RequestContext | undefined };

function prepareEvent(row: OutboxRow): PreparedEvent {
  const payload = parseOutboxPayload(row);
  return {
    row,
    event: { id: row.eventId, type: row.subject, occurredAt: occurredAt(row, payload), data: eventData(row, payload) },
    ctx: contextOf(payload),
  };
}

function publishPrepared(bus: EventBus, streamName: string, p: PreparedEvent): Promise<PublishResult> {
  const publish = () => bus.publish(p.row.subject, p.event, { expectedStream: streamName });
  // @baas/events takes the x-request-id and traceparent headers from the current request context.
  return p.ctx ? runWithRequestContext(p.ctx, publish) : publish();
}

/** When the transfer happened as the writer recorded it, else when its row was inserted. */
function occurredAt(row: OutboxRow, payload: unknown): string {
  const stated = isRecord(payload) ? payload.occurredAt : undefined;
  return typeof stated === 'string' && !Number.isNaN(Date.parse(stated)) ? stated : row.createdAt.toISOString();
}

/** The payload with the journal seq set, so consumers can order and de-duplicate beyond the window. */
function eventData(row: OutboxRow, payload: unknown): unknown {
  return isRecord(payload) ? { ...payload, seq: row.seq.toString() } : payload;
}

/** The request context of the transfer that wrote the row, when its payload names one. */
function contextOf(payload: unknown): RequestContext | undefined {
  if (!isRecord(payload)) return undefined;
  const correlationId = sanitizeCorrelationId(payload.correlationId);
  if (!correlationId) return undefined;
  const traceparent = typeof payload.traceparent === 'string' ? parseTraceparent(payload.traceparent) : undefined;
  return traceparent
    ? { correlationId, traceparent: payload.traceparent as string, traceId: traceparent.traceId }
    : { correlationId };
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
