/** One row of ledger.outbox_event as the relay reads it. */
export type OutboxRow = {
  /** The journal sequence number: gapless from 1, in commit order. */
  seq: bigint;
  /** JetStream msgID, so a republished row is stored once. */
  eventId: string;
  /** ledger.transfer.created | .posted | .voided | .expired */
  subject: string;
  /** The event body as the writer stored it: JSON text (see parseOutboxPayload). */
  payload: unknown;
  createdAt: Date;
};

/** Columns as node-postgres returns them (bigint as text, so nothing is rounded). */
export type OutboxRowRecord = { seq: string; event_id: string; subject: string; payload: unknown; created_at: Date };

/**
 * The outbox rows after `afterSeq`, in seq order. Ordered by the bigint column, not by the text
 * alias of the same name, which would sort 10 before 2. The payload is stored as JSON text (no
 * jsonb parsing on the writer's hot path) and parsed by the relay, off it: in Node rather than
 * with ::json, which would parse it twice (server, then driver) and fail the whole batch on one
 * bad row instead of stopping right before it.
 */
export const SELECT_OUTBOX_ROWS = `
  SELECT e.seq::text AS seq, e.event_id::text AS event_id, e.subject, e.payload, e.created_at
    FROM ledger.outbox_event e
   WHERE e.seq > $1
   ORDER BY e.seq
   LIMIT $2`;

/** Converts a selected record; seq stays exact as a bigint. */
export function toOutboxRow(record: OutboxRowRecord): OutboxRow {
  return { seq: BigInt(record.seq), eventId: record.event_id, subject: record.subject, payload: record.payload, createdAt: record.created_at };
}

/** A payload that is not JSON: the row cannot be published, and is never skipped. */
export class MalformedPayload extends Error {
  constructor(readonly seq: bigint) {
    // Not the parser's message: it quotes the payload, which may hold personal data.
    super(`outbox seq ${seq}: payload is not valid JSON`);
    this.name = 'MalformedPayload';
  }
}

/** The row's payload as a value (a jsonb column would already arrive parsed). */
export function parseOutboxPayload(row: OutboxRow): unknown {
  if (typeof row.payload !== 'string') return row.payload;
  try {
    return JSON.parse(row.payload) as unknown;
  } catch {
    throw new MalformedPayload(row.seq);
  }
}

/**
 * The longest prefix of `rows` that continues `afterSeq` without a gap. The relay never publishes
 * past a gap: a missing seq would otherwise be skipped for good once the cursor moved over it.
 */
export function contiguousPrefix(rows: readonly OutboxRow[], afterSeq: bigint): OutboxRow[] {
  const prefix: OutboxRow[] = [];
  let expected = afterSeq + 1n;
  for (const row of rows) {
    if (row.seq !== expected) break;
    prefix.push(row);
    expected += 1n;
  }
  return prefix;
}
