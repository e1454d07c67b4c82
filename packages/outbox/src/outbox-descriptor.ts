import type { StreamDefinition } from '@baas/events';
import type { RequestContext } from '@baas/observability';

/** One outbox row as the relay reads it. */
export type OutboxRow = {
  /** Gapless from 1, in commit order (see the column contract in README.md). */
  seq: bigint;
  /** The JetStream msgID, so a republished row is stored once. */
  eventId: string;
  subject: string;
  /** The payload as stored (text: JSON, or a sealed blob that `prepare` opens). */
  payload: unknown;
  createdAt: Date;
  /** The descriptor's `extraColumns`, as text. */
  extra: Record<string, string | null>;
};

/** What a row becomes on the wire: an @baas/events envelope on `subject`, with the request context it came from. */
export type OutboxMessage = {
  subject: string;
  /** Envelope fields; `id` is the msgID (normally the row's eventId). */
  event: { id: string; type: string; occurredAt: string; data: unknown };
  /** Sent as the x-request-id and traceparent headers. */
  context?: RequestContext;
};

/**
 * `prepare`'s answer for a row that cannot be published but must not hold up the rows behind it
 * (a payload sealed under a key this process lacks). Only with `tracking`: the row stays unsent and
 * is retried on every revisit. Without tracking a skip is treated as a throw (never lose a row).
 */
export type OutboxSkip = { skip: string };

export type OutboxDescriptor = {
  /** `<schema>.<table>` of the outbox rows. */
  table: string;
  /** `<schema>.<table>` of the relays' cursors (relay text primary key, last_seq bigint, updated_at timestamptz). */
  cursorTable: string;
  /** The channel writers NOTIFY after a commit (low latency); without it the relay polls. */
  channel?: string;
  /** The JetStream stream the rows go to; every relay provisions it (idempotently). */
  stream: StreamDefinition;
  /** Column names, where they differ from the contract's (seq, event_id, subject, payload, created_at). */
  columns?: Partial<Record<'seq' | 'eventId' | 'subject' | 'payload' | 'createdAt', string>>;
  /** More columns `prepare` needs (read as text into `row.extra`). */
  extraColumns?: readonly string[];
  /**
   * A mutable outbox (never an append-only one) may record delivery: the relay sets `sentAt` and
   * bumps `attempts` on every row it publishes or skips, and revisits rows behind its cursor that
   * are still unsent (skipped ones, or ones an operator reset to be sent again).
   */
  tracking?: { sentAt: string; attempts: string };
  /**
   * Turns a row into a message just before it is published (open a sealed payload here, so clear
   * personal data lives only in memory, for one publish). Throwing stops the relay right before the
   * row (it is retried, never skipped); returning `{ skip }` passes over it (tracking only).
   * Default: `prepareJsonEvent` (JSON text payload, see there).
   */
  prepare?: (row: OutboxRow) => OutboxMessage | OutboxSkip | Promise<OutboxMessage | OutboxSkip>;
};

const IDENT = /^[a-z_][a-z0-9_]*$/;

/** `"schema"."table"` (or `"column"`), refusing anything but plain lower-case identifiers. */
export function qualified(name: string): string {
  const parts = name.split('.');
  if (parts.length > 2 || !parts.every((p) => IDENT.test(p))) throw new TypeError(`outbox: '${name}' is not a plain identifier`);
  return parts.map((p) => `"${p}"`).join('.');
}

/** The relay's statements for one descriptor, built once. */
export type OutboxStatements = {
  /** $1 after seq, $2 limit. */
  selectAfter: string;
  /** $1 up to seq (inclusive), $2 limit: tracked rows behind the cursor still unsent. */
  selectUnsent: string | undefined;
  maxSeq: string;
  /** $1 relay. */
  ensureCursor: string;
  readCursor: string;
  /** $1 relay, $2 new last seq. */
  moveCursor: string;
  /** $1 seqs handled (bigint[]), $2 of them the skipped ones. */
  track: string | undefined;
  /** Moves the cursor and, with tracking, marks the handled rows in the same statement: $1 relay, $2 new last seq, $3 seqs, $4 skipped. */
  advance: string;
};

export function outboxStatements(d: OutboxDescriptor): OutboxStatements {
  const t = qualified(d.table);
  const cursor = qualified(d.cursorTable);
  // Every column through the table alias `o`: a bare "seq" in ORDER BY would name the text alias.
  const col = (name: string) => `o.${qualified(name)}`;
  const c = {
    seq: col(d.columns?.seq ?? 'seq'),
    eventId: col(d.columns?.eventId ?? 'event_id'),
    subject: col(d.columns?.subject ?? 'subject'),
    payload: col(d.columns?.payload ?? 'payload'),
    createdAt: col(d.columns?.createdAt ?? 'created_at'),
  };
  const extra = (d.extraColumns ?? []).map((name) => `, ${col(name)}::text AS ${qualified(`x_${name}`)}`).join('');
  // Ordered by the bigint column, never by its text alias (which would sort 10 before 2); the
  // payload is read as stored and parsed in Node, so one bad row stops the relay right before it
  // instead of failing the whole batch.
  const select = `SELECT ${c.seq}::text AS seq, ${c.eventId}::text AS event_id, ${c.subject} AS subject, ${c.payload} AS payload, ${c.createdAt} AS created_at${extra} FROM ${t} o`;
  const sentAt = d.tracking ? col(d.tracking.sentAt) : undefined;
  const attempts = d.tracking ? col(d.tracking.attempts) : undefined;
  const moveCursor = `UPDATE ${cursor} SET last_seq = $2, updated_at = now() WHERE relay = $1 AND last_seq < $2`;
  // Published rows are marked sent (the first time only); skipped ones only count an attempt.
  const trackSql = (seqs: number, skipped: number, tracking: { sentAt: string; attempts: string }) =>
    `UPDATE ${t} o SET ${qualified(tracking.sentAt)} = CASE WHEN ${c.seq} = ANY($${skipped}::bigint[]) THEN ${sentAt} ELSE coalesce(${sentAt}, now()) END,
       ${qualified(tracking.attempts)} = ${attempts} + 1 WHERE ${c.seq} = ANY($${seqs}::bigint[])`;
  return {
    selectAfter: `${select} WHERE ${c.seq} > $1 ORDER BY ${c.seq} LIMIT $2`,
    selectUnsent: sentAt ? `${select} WHERE ${sentAt} IS NULL AND ${c.seq} <= $1 ORDER BY ${c.seq} LIMIT $2` : undefined,
    maxSeq: `SELECT coalesce(max(${c.seq}), 0)::text AS max FROM ${t} o`,
    ensureCursor: `INSERT INTO ${cursor} (relay, last_seq) VALUES ($1, 0) ON CONFLICT (relay) DO NOTHING`,
    readCursor: `SELECT last_seq::text AS last_seq FROM ${cursor} WHERE relay = $1`,
    moveCursor,
    track: d.tracking ? trackSql(1, 2, d.tracking) : undefined,
    advance: d.tracking ? `WITH moved AS (${moveCursor}) ${trackSql(3, 4, d.tracking)}` : moveCursor,
  };
}

/** A selected record as node-postgres returns it (bigint as text, so nothing is rounded). */
export type OutboxRecord = { seq: string; event_id: string; subject: string; payload: unknown; created_at: Date } & Record<string, unknown>;

export function toOutboxRow(record: OutboxRecord, extraColumns: readonly string[] = []): OutboxRow {
  const extra: Record<string, string | null> = {};
  for (const name of extraColumns) extra[name] = (record[`x_${name}`] as string | null | undefined) ?? null;
  return { seq: BigInt(record.seq), eventId: record.event_id, subject: record.subject, payload: record.payload, createdAt: record.created_at, extra };
}

/**
 * The longest prefix of `rows` that continues `afterSeq` without a gap. The relay never publishes
 * past a gap: a missing seq would otherwise be skipped for good once the cursor moved over it.
 */
export function contiguousPrefix<R extends { seq: bigint }>(rows: readonly R[], afterSeq: bigint): R[] {
  const prefix: R[] = [];
  let expected = afterSeq + 1n;
  for (const row of rows) {
    if (row.seq !== expected) break;
    prefix.push(row);
    expected += 1n;
  }
  return prefix;
}
