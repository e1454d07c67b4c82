import { headers } from 'nats';
import type { MsgHdrs } from 'nats';
import {
  childTraceparent,
  getRequestContext,
  newCorrelationId,
  parseTraceparent,
  sanitizeCorrelationId,
} from '@baas/observability';
import type { RequestContext } from '@baas/observability';

/** Same name as the HTTP header the gateway forwards (@baas/auth CORRELATION_HEADER). */
export const CORRELATION_ID_HEADER = 'x-request-id';
export const TRACEPARENT_HEADER = 'traceparent';

/** Message headers carrying the request's correlation id and traceparent (default: the current request's), if any. */
export function contextHeaders(ctx: RequestContext | undefined = getRequestContext()): MsgHdrs | undefined {
  if (!ctx) return undefined;
  const h = headers();
  const correlationId = sanitizeCorrelationId(ctx.correlationId);
  if (correlationId) h.set(CORRELATION_ID_HEADER, correlationId);
  if (parseTraceparent(ctx.traceparent)) h.set(TRACEPARENT_HEADER, ctx.traceparent as string);
  return h;
}

/**
 * The request context a consumer runs its handler in: the producer's correlation id (or a new one
 * when absent or unsafe) and a child span of the producer's trace.
 */
export function contextFromHeaders(h: MsgHdrs | undefined): RequestContext {
  const correlationId = sanitizeCorrelationId(h?.get(CORRELATION_ID_HEADER)) ?? newCorrelationId();
  const traceparent = childTraceparent(h?.get(TRACEPARENT_HEADER));
  return { correlationId, traceparent, traceId: parseTraceparent(traceparent)?.traceId };
}
