import type { JetStreamClient } from 'nats';
import { encodeEvent } from './encode-event';
import { contextHeaders } from './propagate-context';
import type { DomainEvent, PublishOptions, PublishResult } from './types';

/**
 * Publishes `event` with its id as the JetStream msgID, so a retried publish inside the stream's
 * duplicate window is stored once and reported as `duplicate: true`.
 */
export async function publishEvent<T>(
  js: JetStreamClient,
  subject: string,
  event: DomainEvent<T>,
  opts?: PublishOptions,
): Promise<PublishResult> {
  const payload = encodeEvent(event);
  const ack = await js.publish(subject, payload, {
    msgID: event.id,
    headers: contextHeaders(),
    ...(opts?.expectedStream ? { expect: { streamName: opts.expectedStream } } : {}),
  });
  return { seq: ack.seq, duplicate: ack.duplicate };
}
