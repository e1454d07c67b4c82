export { connectEvents } from './connect-events';
export { startConsumers, type ConsumerRoute, type StartConsumersOptions } from './start-consumers';
export type { ConnectEventsOptions } from './connect-events';
export { encodeEvent, decodeEvent } from './encode-event';
export { createBatchPublisher, PublishRefused, EXPECTED_STREAM_HEADER, MSG_ID_HEADER, type BatchItem, type PublishBatchOptions } from './publish-batch';
export { CORRELATION_ID_HEADER, TRACEPARENT_HEADER } from './propagate-context';
export type {
  Consumer,
  ConsumeOptions,
  DeliveryMeta,
  DomainEvent,
  EventBus,
  EventEnvelope,
  EventHandler,
  PublishOptions,
  PublishResult,
  StreamDefinition,
} from './types';
