import type { EventBus, StreamDefinition } from '@baas/events';

/**
 * The JetStream stream holding every ledger event. The duplicate window is longer than the events
 * default (2 min) because it is what turns the relay's at-least-once publishing into exactly-once
 * storage: a relay that crashes and restarts (or fails over) within it republishes without storing
 * twice. Each id costs server memory for the window, hence minutes rather than hours.
 */
export const LEDGER_STREAM = {
  name: 'LEDGER',
  subjects: ['ledger.>'],
  duplicateWindowMs: 10 * 60_000,
} satisfies StreamDefinition;

/**
 * Creates the ledger stream (named `name`, default LEDGER_STREAM.name; tests pass a unique one) or
 * brings its subjects and limits in line; harmless to call on every start.
 */
export async function ensureLedgerStream(bus: EventBus, name: string = LEDGER_STREAM.name): Promise<void> {
  await bus.ensureStream({ ...LEDGER_STREAM, subjects: [...LEDGER_STREAM.subjects], name });
}
