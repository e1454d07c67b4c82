import { createInbox, headers } from 'nats';
import type { Msg, NatsConnection, Subscription } from 'nats';
import type { RequestContext } from '@baas/observability';
import { encodeEvent } from './encode-event';
import { contextHeaders } from './propagate-context';
import type { DomainEvent, PublishOptions, PublishResult } from './types';

/** JetStream's publish headers (what nats.js's `js.publish` sets for msgID and expect.streamName). */
export const MSG_ID_HEADER = 'Nats-Msg-Id';
export const EXPECTED_STREAM_HEADER = 'Nats-Expected-Stream';

export type BatchItem<T = unknown> = {
  subject: string;
  event: DomainEvent<T>;
  /** The request context whose correlation id and traceparent travel as headers (none: no such headers). */
  context?: RequestContext;
};

export type PublishBatchOptions = PublishOptions & {
  /** How long the batch waits for its acks; the ones still missing fail with code TIMEOUT. Default 5000 (nats.js's). */
  timeoutMs?: number;
};

/** A publish JetStream refused, did not store, or never acknowledged. `code` is stable: TIMEOUT, NO_RESPONDERS, INVALID_ACK, or JetStream's err_code. */
export class PublishRefused extends Error {
  constructor(
    readonly code: string,
    message: string,
  ) {
    super(message);
    this.name = 'PublishRefused';
  }
}

/**
 * Publishes many events to JetStream as plain NATS messages with JetStream's publish headers, and
 * collects their acks on one wildcard reply subscription of the connection: what `js.publish` does
 * per message (a request object, a timer, two pre-built errors for stack traces), once per batch.
 *
 * Order: every message of the batch is written in one synchronous pass on one connection, so the
 * server receives and stores them in that order (or a prefix of them when the connection drops).
 * Each event's id is its `Nats-Msg-Id`: a repeat inside the stream's duplicate window is acked
 * `duplicate: true` and not stored again. Results come back in the order of `items`, one settled
 * result each; the batch never rejects as a whole.
 */
export function createBatchPublisher(nc: NatsConnection) {
  let sub: Subscription | undefined;
  let prefix = '';
  let next = 0;
  const waiting = new Map<string, (msg: Msg) => void>();

  /** A fresh reply token under the connection's reply subscription (made on first use). */
  function nextToken(): string {
    if (!sub || sub.isClosed()) {
      prefix = `${createInbox()}.`;
      // The subscription is the connection's: nats.js re-subscribes it after a reconnect.
      sub = nc.subscribe(`${prefix}*`, {
        callback: (err, msg) => {
          if (err) return;
          const token = msg.subject.slice(prefix.length);
          const settle = waiting.get(token);
          if (settle) {
            waiting.delete(token);
            settle(msg);
          }
        },
      });
    }
    next = (next + 1) % Number.MAX_SAFE_INTEGER;
    return next.toString(36);
  }

  return function publishBatch(items: readonly BatchItem[], opts: PublishBatchOptions = {}): Promise<PromiseSettledResult<PublishResult>[]> {
    const results: PromiseSettledResult<PublishResult>[] = new Array(items.length);
    if (items.length === 0) return Promise.resolve(results);
    return new Promise((resolve) => {
      let open = items.length;
      const tokens: string[] = [];
      const settle = (i: number, result: PromiseSettledResult<PublishResult>) => {
        results[i] = result;
        open -= 1;
        if (open === 0) {
          clearTimeout(timer);
          resolve(results);
        }
      };
      const timer = setTimeout(() => {
        for (const [i, token] of tokens.entries()) {
          if (results[i] === undefined && waiting.delete(token)) settle(i, { status: 'rejected', reason: new PublishRefused('TIMEOUT', 'no acknowledgement from JetStream in time') });
        }
      }, opts.timeoutMs ?? 5000);
      for (const [i, item] of items.entries()) {
        const token = nextToken();
        tokens.push(token);
        try {
          const payload = encodeEvent(item.event);
          const h = (item.context ? contextHeaders(item.context) : undefined) ?? headers();
          h.set(MSG_ID_HEADER, item.event.id);
          if (opts.expectedStream) h.set(EXPECTED_STREAM_HEADER, opts.expectedStream);
          waiting.set(token, (msg) => settle(i, readAck(msg)));
          nc.publish(item.subject, payload, { reply: `${prefix}${token}`, headers: h });
        } catch (error) {
          waiting.delete(token);
          settle(i, { status: 'rejected', reason: error });
        }
      }
    });
  };
}

const decoder = new TextDecoder();

type AckBody = { stream?: string; seq?: number; duplicate?: boolean; error?: { code?: number; err_code?: number; description?: string } };

/** JetStream's answer to one publish: its ack, or why it was not stored. */
export function readAck(msg: Msg): PromiseSettledResult<PublishResult> {
  // With headers on, the server answers a publish nobody subscribes to (no stream takes the subject) with status 503.
  if (msg.headers?.hasError && msg.headers.code === 503) return { status: 'rejected', reason: new PublishRefused('NO_RESPONDERS', 'no stream takes this subject') };
  let body: AckBody;
  try {
    body = JSON.parse(decoder.decode(msg.data)) as AckBody;
  } catch {
    return { status: 'rejected', reason: new PublishRefused('INVALID_ACK', 'JetStream answered with something that is not an ack') };
  }
  if (body.error) {
    const code = body.error.err_code ?? body.error.code;
    return { status: 'rejected', reason: new PublishRefused(code === undefined ? 'REFUSED' : String(code), body.error.description ?? 'JetStream refused the publish') };
  }
  if (typeof body.stream !== 'string' || body.stream === '' || typeof body.seq !== 'number') return { status: 'rejected', reason: new PublishRefused('INVALID_ACK', 'JetStream answered with something that is not an ack') };
  return { status: 'fulfilled', value: { seq: body.seq, duplicate: body.duplicate === true } };
}
