import type { JetStreamClient, JetStreamManager, JsMsg } from 'nats';
import type { Logger } from '@baas/observability';
import { runWithRequestContext } from '@baas/observability';
import { decodeEvent } from './encode-event';
import { ensureConsumer } from './ensure-consumer';
import { contextFromHeaders } from './propagate-context';
import type { ConsumeOptions, Consumer, DeliveryMeta, EventEnvelope } from './types';

const DEFAULT_ACK_WAIT_MS = 30_000;
const DEFAULT_MAX_ACK_PENDING = 1000;
const DEFAULT_RETRY_DELAY_MS = 1000;
const DEFAULT_PULL_EXPIRES_MS = 5000;
const MAX_RETRY_DELAY_MS = 60_000;
const FETCH_ERROR_BACKOFF_MS = 1000;
const BATCH = 16;

type Deps = { js: JetStreamClient; jsm: JetStreamManager; isClosed: () => boolean; logger?: Logger };

/**
 * Runs `opts.handler` for each message of a durable pull consumer, one at a time in stream order
 * (or, with `orderKey`, concurrently across keys and in order within one): ack when it resolves, nak with a growing delay when it throws, term when the payload is not an event.
 */
export async function consumeEvents<T>(deps: Deps, opts: ConsumeOptions<T>): Promise<Consumer> {
  const ackWaitMs = opts.ackWaitMs ?? DEFAULT_ACK_WAIT_MS;
  const pullExpiresMs = Math.max(opts.pullExpiresMs ?? DEFAULT_PULL_EXPIRES_MS, 1000);
  await ensureConsumer(deps.jsm, {
    stream: opts.stream,
    durable: opts.durable,
    filterSubject: opts.filterSubject,
    maxAckPending: opts.maxAckPending ?? DEFAULT_MAX_ACK_PENDING,
    ackWaitMs,
    maxDeliver: opts.maxDeliver,
    ...(opts.deliverNew ? { deliverNew: true } : {}),
    ...(opts.inactiveThresholdMs ? { inactiveThresholdMs: opts.inactiveThresholdMs } : {}),
  });
  const consumer = await deps.js.consumers.get(opts.stream, opts.durable);
  const log = deps.logger?.child({ stream: opts.stream, durable: opts.durable });
  let stopping = false;
  let wake: (() => void) | undefined;

  // Bounded fetches rather than consume(): stopping between two fetches never leaves a pull request
  // open on the server, whereas closing consume() drops messages already on the wire, which then
  // wait out ackWait and come back out of order.
  const loop = (async () => {
    // A connection closed for good (not just reconnecting) ends the loop instead of retrying forever.
    while (!stopping && !deps.isClosed()) {
      try {
        const batch = await consumer.fetch({ max_messages: BATCH, expires: pullExpiresMs });
        if (!opts.orderKey) {
          for await (const msg of batch) await handleMessage(msg, opts, { ackWaitMs, log });
        } else {
          // Per key, in stream order; keys side by side (at most BATCH at once).
          const lanes = new Map<string, Promise<void>>();
          for await (const msg of batch) {
            const key = keyOf(msg, opts.orderKey);
            lanes.set(key, (lanes.get(key) ?? Promise.resolve()).then(() => handleMessage(msg, opts, { ackWaitMs, log })));
          }
          await Promise.all(lanes.values());
        }
      } catch (err) {
        if (stopping || deps.isClosed()) break;
        log?.warn({ err }, 'fetching events failed; retrying');
        await new Promise<void>((resolve) => {
          const timer = setTimeout(resolve, FETCH_ERROR_BACKOFF_MS);
          wake = () => {
            clearTimeout(timer);
            resolve();
          };
        });
        wake = undefined;
      }
    }
  })();

  return {
    async stop() {
      stopping = true;
      wake?.();
      await loop;
    },
  };
}

function keyOf<T>(msg: JsMsg, orderKey: NonNullable<ConsumeOptions<T>['orderKey']>): string {
  try {
    return orderKey(decodeEvent<T>(msg.data), { subject: msg.subject, seq: msg.seq, redelivered: msg.redelivered, deliveryCount: msg.info.deliveryCount });
  } catch {
    return '';
  }
}

async function handleMessage<T>(
  msg: JsMsg,
  opts: ConsumeOptions<T>,
  ctx: { ackWaitMs: number; log: Logger | undefined },
): Promise<void> {
  const meta: DeliveryMeta = {
    subject: msg.subject,
    seq: msg.seq,
    redelivered: msg.redelivered,
    deliveryCount: msg.info.deliveryCount,
  };
  let event: EventEnvelope<T>;
  try {
    event = decodeEvent<T>(msg.data);
  } catch (err) {
    // Retrying cannot fix a malformed payload; term stops redelivery for good.
    ctx.log?.error({ err, subject: meta.subject, seq: meta.seq }, 'dropping message that is not an event envelope');
    msg.term();
    return;
  }

  // A handler slower than ackWait must not get the message redelivered to another instance meanwhile.
  const heartbeat = setInterval(() => {
    try {
      msg.working();
    } catch {
      // Connection gone: the server redelivers after ackWait, which is the best anyone can do.
    }
  }, Math.max(ctx.ackWaitMs / 2, 500));
  let failure: { err: unknown } | undefined;
  try {
    await runWithRequestContext(contextFromHeaders(msg.headers), () => opts.handler(event, meta));
  } catch (err) {
    failure = { err };
  } finally {
    clearInterval(heartbeat);
  }

  if (failure) {
    const delay = retryDelay(opts.retryDelayMs ?? DEFAULT_RETRY_DELAY_MS, meta.deliveryCount);
    ctx.log?.warn(
      { err: failure.err, eventId: event.id, type: event.type, seq: meta.seq, deliveryCount: meta.deliveryCount, retryInMs: delay },
      'event handler failed; will retry',
    );
    msg.nak(delay);
    return;
  }
  // Wait for the server to record the ack, so a restart right after never sees the message again.
  try {
    await msg.ackAck();
  } catch (err) {
    ctx.log?.warn({ err, eventId: event.id, seq: meta.seq }, 'ack not confirmed; the event may be delivered again');
  }
}

function retryDelay(baseMs: number, deliveryCount: number): number {
  return Math.min(baseMs * 2 ** Math.max(deliveryCount - 1, 0), MAX_RETRY_DELAY_MS);
}
