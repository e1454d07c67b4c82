import type { BatchItem, PublishBatchOptions } from './publish-batch';

/** A domain event as a producer hands it to {@link EventBus.publish}. */
export type DomainEvent<T = unknown> = {
  /** Unique per event; JetStream drops a second publish of the same id within the duplicate window. */
  id: string;
  /** e.g. `ledger.entry.posted`. */
  type: string;
  data: T;
  /** ISO 8601; defaults to the publish time. */
  occurredAt?: string;
};

/** The JSON payload stored in the stream (bigint values in `data` arrive as decimal strings). */
export type EventEnvelope<T = unknown> = { id: string; type: string; occurredAt: string; data: T };

export type StreamDefinition = {
  name: string;
  subjects: string[];
  /** Window in which a repeated event id is dropped; default 2 minutes (never more than maxAgeMs). */
  duplicateWindowMs?: number;
  /** How long messages are kept; default unlimited. */
  maxAgeMs?: number;
};

export type PublishOptions = {
  /** Fail unless the subject is stored by this stream (guards against a mis-routed subject). */
  expectedStream?: string;
};

export type PublishResult = { seq: number; duplicate: boolean };

export type DeliveryMeta = {
  subject: string;
  /** Stream sequence of the message. */
  seq: number;
  redelivered: boolean;
  /** 1 on the first delivery. */
  deliveryCount: number;
};

export type EventHandler<T = unknown> = (event: EventEnvelope<T>, meta: DeliveryMeta) => Promise<void>;

export type ConsumeOptions<T = unknown> = {
  stream: string;
  /** Durable consumer name: restarts with the same name resume after the last acked message. */
  durable: string;
  filterSubject?: string;
  handler: EventHandler<T>;
  /** Messages delivered but not yet acked before the server pauses delivery; default 1000. */
  maxAckPending?: number;
  /** Time the server waits for an ack before redelivering; default 30 s. */
  ackWaitMs?: number;
  /** First delay before a failed message is redelivered, doubled on each further failure up to 1 minute; default 1 s. */
  retryDelayMs?: number;
  /** Deliveries before the server gives up on a message; default unlimited. */
  maxDeliver?: number;
  /** Only messages published after the consumer is created (default: the whole stream). */
  deliverNew?: boolean;
  /** Let the server delete the consumer after this long without a client. */
  inactiveThresholdMs?: number;
  /** How long one pull waits on an idle stream (min 1 s, default 5 s); stop() can take this long. */
  pullExpiresMs?: number;
  /**
   * Handle the messages of a fetched batch concurrently, in stream order per key (events of one
   * payment, one account): only what shares a key waits for the one before it. Default: one at a
   * time, in stream order. A message that is not an event has the empty key.
   */
  orderKey?: (event: EventEnvelope<T>, meta: DeliveryMeta) => string;
};

export type Consumer = {
  /**
   * Drains: stops pulling and resolves once every message already pulled has been handled and
   * acked (at most pullExpiresMs on an idle stream). Never await it inside the handler: it would
   * wait on itself.
   */
  stop(): Promise<void>;
};

export type EventBus = {
  /** Creates the stream, or updates subjects/limits when it exists. Safe to call on every start. */
  ensureStream(def: StreamDefinition): Promise<void>;
  /** Publishes one event, de-duplicated by its id. */
  publish<T>(subject: string, event: DomainEvent<T>, opts?: PublishOptions): Promise<PublishResult>;
  /**
   * Publishes many events in order, de-duplicated by their ids, acks collected in bulk
   * (publish-batch.ts); one settled result per item, in their order. Optional: a bus without it
   * is published to one `publish` at a time.
   */
  publishBatch?(items: readonly BatchItem[], opts?: PublishBatchOptions): Promise<PromiseSettledResult<PublishResult>[]>;
  /** Starts a durable pull consumer that acks after the handler resolves and retries when it throws. */
  consume<T = unknown>(opts: ConsumeOptions<T>): Promise<Consumer>;
  /** Stops every consumer, then drains and closes the connection. */
  close(): Promise<void>;
};
