export { createOutboxRelay } from './create-outbox-relay';
export type { OutboxRelay, OutboxRelayOptions, OutboxRelayStats } from './create-outbox-relay';
export { ensureLedgerStream, LEDGER_STREAM } from './ledger-stream';
export { OUTBOX_CHANNEL } from './acquire-relay-session';
export type { OutboxRow } from './outbox-row';
