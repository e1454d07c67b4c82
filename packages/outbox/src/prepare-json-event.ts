import { parseTraceparent, sanitizeCorrelationId } from '@baas/observability';
import type { RequestContext } from '@baas/observability';
import type { OutboxMessage, OutboxRow } from './outbox-descriptor';

/** A payload that is not JSON: the row cannot be published, and is never skipped. */
export class MalformedPayload extends Error {
  constructor(readonly seq: bigint) {
    // Not the parser's message: it quotes the payload, which may hold personal data.
    super(`outbox seq ${seq}: payload is not valid JSON`);
    this.name = 'MalformedPayload';
  }
}

/** The row's payload as a value (a jsonb column arrives parsed already). */
export function parseJsonPayload(row: OutboxRow): unknown {
  if (typeof row.payload !== 'string') return row.payload;
  try {
    return JSON.parse(row.payload) as unknown;
  } catch {
    throw new MalformedPayload(row.seq);
  }
}

/**
 * The default `prepare`: the payload is JSON text (no jsonb parsing on the writer's hot path); the
 * envelope is `{ id: event_id, type: subject, occurredAt, data: payload + seq }`. `occurredAt` is
 * the payload's when it is a date, else the row's created_at; the payload's `correlationId` (and a
 * valid W3C `traceparent`) become the message's request context. `seq` is set in `data` so
 * consumers can order and de-duplicate beyond the stream's duplicate window.
 */
export function prepareJsonEvent(row: OutboxRow): OutboxMessage {
  const payload = parseJsonPayload(row);
  const context = contextOf(payload);
  return {
    subject: row.subject,
    event: { id: row.eventId, type: row.subject, occurredAt: occurredAt(row, payload), data: isRecord(payload) ? { ...payload, seq: row.seq.toString() } : payload },
    ...(context ? { context } : {}),
  };
}

function occurredAt(row: OutboxRow, payload: unknown): string {
  const stated = isRecord(payload) ? payload.occurredAt : undefined;
  return typeof stated === 'string' && !Number.isNaN(Date.parse(stated)) ? stated : row.createdAt.toISOString();
}

/** The request context of the change that wrote the row, when its payload names one. */
export function contextOf(payload: unknown): RequestContext | undefined {
  if (!isRecord(payload)) return undefined;
  const correlationId = sanitizeCorrelationId(payload.correlationId);
  if (!correlationId) return undefined;
  const traceparent = typeof payload.traceparent === 'string' ? parseTraceparent(payload.traceparent) : undefined;
  return traceparent ? { correlationId, traceparent: payload.traceparent as string, traceId: traceparent.traceId } : { correlationId };
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
