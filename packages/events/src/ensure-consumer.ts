import { AckPolicy, DeliverPolicy, nanos } from 'nats';
import type { ConsumerConfig, JetStreamManager } from 'nats';
import { apiErrorCode } from './ensure-stream';

const CONSUMER_NOT_FOUND = 10014;

export type DurableDefinition = {
  stream: string;
  durable: string;
  filterSubject?: string;
  maxAckPending: number;
  ackWaitMs: number;
  maxDeliver?: number;
  /** Start from new messages only (read models that fall back to the source for what they never saw). */
  deliverNew?: boolean;
  /** The server deletes the consumer after this long without a client (for per-instance read models). */
  inactiveThresholdMs?: number;
};

/** Creates the durable pull consumer with explicit acks, or updates its limits when they changed. */
export async function ensureConsumer(jsm: JetStreamManager, def: DurableDefinition): Promise<void> {
  const limits: Partial<ConsumerConfig> = {
    ack_wait: nanos(def.ackWaitMs),
    max_ack_pending: def.maxAckPending,
    max_deliver: def.maxDeliver ?? -1,
  };
  let current: ConsumerConfig | undefined;
  try {
    current = (await jsm.consumers.info(def.stream, def.durable)).config;
  } catch (err) {
    if (apiErrorCode(err) !== CONSUMER_NOT_FOUND) throw err;
  }
  if (!current) {
    // Adding with an identical config is idempotent on the server, so racing instances both succeed.
    await jsm.consumers.add(def.stream, {
      durable_name: def.durable,
      ack_policy: AckPolicy.Explicit,
      deliver_policy: def.deliverNew ? DeliverPolicy.New : DeliverPolicy.All,
      ...(def.inactiveThresholdMs ? { inactive_threshold: nanos(def.inactiveThresholdMs) } : {}),
      ...(def.filterSubject ? { filter_subject: def.filterSubject } : {}),
      ...limits,
    });
    return;
  }
  if ((current.filter_subject ?? '') !== (def.filterSubject ?? '')) {
    // A different filter would silently skip or replay events; that needs a new durable name.
    throw new Error(`consumer ${def.durable} on ${def.stream} exists with filter "${current.filter_subject ?? ''}"`);
  }
  const changed =
    current.ack_wait !== limits.ack_wait || current.max_ack_pending !== limits.max_ack_pending || current.max_deliver !== limits.max_deliver;
  if (changed) await jsm.consumers.update(def.stream, def.durable, limits);
}
