export { createOutboxRelay } from './create-outbox-relay';
export type { OutboxRelay, OutboxRelayOptions, OutboxRelayStats } from './relay-types';
export { appendOutbox, type OutboxEvent, type Queryable } from './append-outbox';
export { outboxMigrationSql, outboxSequencingSql, type OutboxTableNames } from './outbox-sql';
export { prepareJsonEvent, parseJsonPayload, MalformedPayload } from './prepare-json-event';
export { RELAY_LOCK_CLASS } from './relay-session';
export type { OutboxDescriptor, OutboxMessage, OutboxRow, OutboxSkip } from './outbox-descriptor';
export { startOutboxRelay, withSubject, withSubjectPrefix, type StartedOutboxRelay, type StartOutboxRelayOptions } from './start-outbox-relay';
export { domainEventOutbox, domainEventsStream, startDomainEventRelay, type DomainEventRelayOptions, type DomainOutbox } from './domain-event-relay';
