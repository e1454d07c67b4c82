import { outboxStatements, qualified } from './outbox-descriptor';
import type { OutboxDescriptor } from './outbox-descriptor';

/** A transaction's client: node-postgres `PoolClient` inside BEGIN, or anything with the same `query`. */
export type Queryable = { query(text: string, values?: unknown[]): Promise<unknown> };

export type OutboxEvent = {
  /** The JetStream msgID (a uuid): a republished row is stored once. */
  eventId: string;
  subject: string;
  /** Stored as JSON text (no jsonb parsing on the writer's path); a string is stored as it is (e.g. sealed). */
  payload: unknown;
};

/**
 * Writes `events` to the outbox in the caller's transaction, so they leave if and only if the change
 * that caused them commits. `seq` comes from the table's sequencing trigger (`outboxMigrationSql`):
 * gapless and in commit order, and the trigger NOTIFYs the relay at commit. Returns nothing: the
 * seq is the relay's business. (A writer that already numbers its events gaplessly under a lock of
 * its own, like the ledger's journal, inserts `seq` itself and needs no trigger.)
 */
export async function appendOutbox(tx: Queryable, outbox: OutboxDescriptor, events: readonly OutboxEvent[]): Promise<void> {
  if (events.length === 0) return;
  outboxStatements(outbox); // validates the names
  const c = {
    eventId: qualified(outbox.columns?.eventId ?? 'event_id'),
    subject: qualified(outbox.columns?.subject ?? 'subject'),
    payload: qualified(outbox.columns?.payload ?? 'payload'),
  };
  // One statement, in the order given: the trigger numbers the rows in that order.
  await tx.query(
    `INSERT INTO ${qualified(outbox.table)} (${c.eventId}, ${c.subject}, ${c.payload})
     SELECT e.event_id, e.subject, e.payload FROM unnest($1::uuid[], $2::text[], $3::text[]) WITH ORDINALITY AS e(event_id, subject, payload, n) ORDER BY e.n`,
    [events.map((e) => e.eventId), events.map((e) => e.subject), events.map((e) => (typeof e.payload === 'string' ? e.payload : JSON.stringify(e.payload)))],
  );
}
