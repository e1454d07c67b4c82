import { MongoBulkWriteError, MongoClient } from 'mongodb';
import type { Collection } from 'mongodb';
import { buildQuery, encodeCursor, pageSize } from './build-query';
import { classifyWriteError } from './classify-write-error';
import { AuditError } from './errors';
import { fromDocument, toDocument } from './audit-document';
import type { AuditDocument, AuditEventInput, AuditLog, AuditLogStats, CreateAuditLogOptions } from './types';

// A log line about the audit log itself at most this often per kind, so an outage does not flood logs.
const WARN_EVERY_MS = 10_000;

type Pending = { seq: number; doc: AuditDocument };

// Newest-first listings, per tenant, per actor, and one request's trail. `_id` breaks ties in time.
const INDEXES: { key: Record<string, 1 | -1>; name: string }[] = [
  { key: { at: -1, _id: -1 }, name: 'at_desc' },
  { key: { tenantId: 1, at: -1, _id: -1 }, name: 'tenant_at_desc' },
  { key: { 'actor.subject': 1, at: -1, _id: -1 }, name: 'subject_at_desc' },
  { key: { correlationId: 1 }, name: 'correlation_id' },
];

/**
 * Connects lazily (the first write or query opens the connection), so a service starts even while
 * MongoDB is down; record() buffers meanwhile. Call close() on shutdown to write what is buffered.
 */
export function createAuditLog(opts: CreateAuditLogOptions): AuditLog {
  const batchSize = positiveInt(opts.batchSize, 100, 'batchSize');
  const flushIntervalMs = positiveInt(opts.flushIntervalMs, 100, 'flushIntervalMs');
  const maxBuffered = Math.max(positiveInt(opts.maxBuffered, 10_000, 'maxBuffered'), batchSize);
  const maxRetryDelayMs = positiveInt(opts.maxRetryDelayMs, 5000, 'maxRetryDelayMs');
  const pingTimeoutMs = positiveInt(opts.pingTimeoutMs, 2000, 'pingTimeoutMs');
  const logger = opts.logger.child({ component: 'audit' });
  const client = new MongoClient(opts.url, {
    serverSelectionTimeoutMS: opts.serverSelectionTimeoutMS ?? 5000,
    appName: `${opts.service}-audit`,
  });
  const collection: Collection<AuditDocument> = client.db(opts.database).collection<AuditDocument>(opts.collection ?? 'audit_events');

  let buffer: Pending[] = [];
  // Events taken out of the buffer by the insertMany in progress; they count against maxBuffered.
  let inFlight = 0;
  let nextSeq = 1;
  const counters: Omit<AuditLogStats, 'buffered'> = { written: 0, writes: 0, dropped: 0, rejected: 0, failedWrites: 0 };
  // accepting: record() buffers; closed: the client is (being) closed and nothing more is written.
  let accepting = true;
  let closed = false;
  let closing: Promise<void> | undefined;
  let pumping = false;
  let scheduled = false;
  let consecutiveFailures = 0;
  let retryAt = 0;
  const lastWarn = new Map<string, number>();
  let droppedSinceWarn = 0;

  // One insertMany at a time: the background writer and flush() queue behind each other.
  let tail: Promise<unknown> = Promise.resolve();
  function exclusive<T>(fn: () => Promise<T>): Promise<T> {
    const run = tail.then(fn, fn);
    tail = run.catch(() => undefined);
    return run;
  }

  function warnThrottled(kind: string, fields: Record<string, unknown>, msg: string, force = false): boolean {
    const now = Date.now();
    if (!force && now - (lastWarn.get(kind) ?? 0) < WARN_EVERY_MS) return false;
    lastWarn.set(kind, now);
    logger.warn(fields, msg);
    return true;
  }

  function drop(count: number, why: string): void {
    if (count <= 0) return;
    counters.dropped += count;
    droppedSinceWarn += count;
    // Counts only: the events themselves never reach the log.
    if (warnThrottled('drop', { dropped: droppedSinceWarn, droppedTotal: counters.dropped, buffered: buffer.length, maxBuffered, why }, 'audit events dropped')) {
      droppedSinceWarn = 0;
    }
  }

  function trimOldest(): void {
    const excess = buffer.length + inFlight - maxBuffered;
    if (excess > 0) {
      buffer.splice(0, excess);
      drop(excess, 'buffer full');
    }
  }

  /** Writes the oldest batchSize events; on a transient failure puts them back and rethrows. */
  async function writeNextBatch(): Promise<void> {
    const batch = buffer.splice(0, batchSize);
    if (batch.length === 0) return;
    inFlight = batch.length;
    try {
      await collection.insertMany(
        batch.map((p) => p.doc),
        { ordered: false },
      );
      inFlight = 0;
      counters.written += batch.length;
      counters.writes += 1;
      return;
    } catch (err) {
      inFlight = 0;
      const { retry, rejected, rejectedCodes } = classifyWriteError(err, batch.length);
      counters.written += batch.length - retry.length - rejected.length;
      if (retry.length === 0) counters.writes += 1;
      if (rejected.length > 0) {
        counters.rejected += rejected.length;
        warnThrottled('rejected', { rejected: rejected.length, codes: [...new Set(rejectedCodes)] }, 'audit events refused by MongoDB', true);
      }
      if (retry.length === 0) return;
      counters.failedWrites += 1;
      buffer.unshift(...retry.map((i) => batch[i]!));
      trimOldest();
      throw new AuditError('UNAVAILABLE', 'Audit events could not be written to MongoDB; they stay buffered.', { cause: err });
    }
  }

  function pump(): void {
    scheduled = false;
    if (pumping || closed || buffer.length === 0 || Date.now() < retryAt) return;
    pumping = true;
    exclusive(async () => {
      while (buffer.length > 0 && !closed) await writeNextBatch();
    })
      .then(
        () => {
          if (consecutiveFailures > 0) logger.info({ buffered: buffer.length }, 'audit writes recovered');
          consecutiveFailures = 0;
          retryAt = 0;
        },
        (err: unknown) => {
          consecutiveFailures += 1;
          const delay = Math.min(flushIntervalMs * 2 ** Math.min(consecutiveFailures, 20), maxRetryDelayMs);
          retryAt = Date.now() + delay;
          warnThrottled('write', { err: describe(err), consecutiveFailures, buffered: buffer.length, retryInMs: delay }, 'audit write failed; will retry');
        },
      )
      .finally(() => {
        pumping = false;
      });
  }

  const timer = setInterval(pump, flushIntervalMs);
  // The writer never keeps a process alive; shutdown calls close() to write what is left.
  timer.unref();

  async function flush(): Promise<void> {
    const target = nextSeq - 1;
    // An in-flight background batch may hold events recorded before this call.
    await tail;
    while (buffer.length > 0 && buffer[0]!.seq <= target) await exclusive(writeNextBatch);
  }

  return {
    record(event: AuditEventInput): void {
      try {
        if (!accepting) {
          drop(1, 'recorded after close');
          return;
        }
        const doc = toDocument(event, opts.service);
        if (!doc) {
          counters.rejected += 1;
          warnThrottled('invalid', {}, 'malformed audit event ignored (action and outcome are required)');
          return;
        }
        buffer.push({ seq: nextSeq++, doc });
        trimOldest();
        if (buffer.length >= batchSize && !scheduled && !pumping) {
          scheduled = true;
          setImmediate(pump);
        }
      } catch (err) {
        // The audit trail must never break the request that is being audited. The error's name
        // only: its message may come from the caller's data.
        counters.rejected += 1;
        warnThrottled('invalid', { err: { name: err instanceof Error ? err.name : typeof err } }, 'audit event could not be recorded');
      }
    },

    flush,

    close(): Promise<void> {
      closing ??= (async () => {
        accepting = false;
        clearInterval(timer);
        try {
          await flush();
        } catch (err) {
          logger.warn({ err: describe(err), lost: buffer.length }, 'audit log closed with unwritten events');
        }
        closed = true;
        await tail;
        drop(buffer.length, 'lost at close');
        buffer = [];
        await client.close();
      })();
      return closing;
    },

    async query(filter = {}, page = {}) {
      const first = pageSize(page);
      const mongoFilter = buildQuery(filter, page.after);
      const docs = await collection
        .find(mongoFilter)
        .sort({ at: -1, _id: -1 })
        .limit(first + 1)
        .toArray()
        .catch(unavailable('The audit trail could not be read.'));
      const events = docs.slice(0, first).map(fromDocument);
      const last = events.at(-1);
      return { events, endCursor: last ? encodeCursor(last.at, last.id) : null, hasNextPage: docs.length > first };
    },

    async ensureIndexes() {
      // One createIndexes command per index: FerretDB v1 drops the connection when one command
      // re-creates several existing indexes (FerretDB/FerretDB#3858); one at a time is idempotent.
      for (const index of INDEXES) {
        await collection.createIndex(index.key, { name: index.name }).catch(unavailable('The audit indexes could not be created.'));
      }
    },

    async ping() {
      if (closed || closing) return false;
      let timeout: NodeJS.Timeout | undefined;
      const expired = new Promise<false>((resolve) => {
        timeout = setTimeout(() => resolve(false), pingTimeoutMs);
      });
      try {
        return await Promise.race([client.db(opts.database).command({ ping: 1 }).then(() => true, () => false), expired]);
      } finally {
        clearTimeout(timeout);
      }
    },

    stats() {
      return { buffered: buffer.length + inFlight, ...counters };
    },
  };
}

// Error name, code and (for connection-level errors, which describe servers) the message. A bulk
// write error's message can quote a document's values, so only its codes are logged.
function describe(err: unknown): Record<string, unknown> {
  const root = err instanceof AuditError && err.cause ? err.cause : err;
  if (!(root instanceof Error)) return { name: typeof root };
  const code = (root as { code?: unknown }).code;
  if (root instanceof MongoBulkWriteError) {
    const codes = [...new Set([root.writeErrors].flat().map((e) => e.code))];
    // Without per-document errors the bulk error only wraps a connection-level one.
    if (codes.length > 0) return { name: root.name, code, codes };
  }
  return { name: root.name, ...(code !== undefined && { code }), message: root.message.slice(0, 500) };
}

function unavailable(message: string): (err: unknown) => never {
  return (err) => {
    throw new AuditError('UNAVAILABLE', message, { cause: err });
  };
}

function positiveInt(value: number | undefined, fallback: number, name: string): number {
  if (value === undefined) return fallback;
  if (!Number.isInteger(value) || value < 1) throw new RangeError(`${name} must be a positive integer`);
  return value;
}
