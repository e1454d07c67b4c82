import type { Logger } from '@baas/observability';

/** How an audited attempt ended: `denied` is an authorisation refusal, `failure` anything else that failed. */
export type AuditOutcome = 'success' | 'failure' | 'denied';

/** The platform's principal kinds (as in @baas/auth's PrincipalKind). */
export type AuditActorKind = 'customer' | 'operator' | 'api_client' | 'service';

/** Who acted; null when nobody is authenticated yet (a sign-in attempt, a denied anonymous call). */
export type AuditActor = { kind: AuditActorKind; subject: string; tenantId: string | null };

/** What was acted on, e.g. `{ type: 'Account', id: '...' }`. */
export type AuditTarget = { type: string; id: string };

/** What a caller hands to {@link AuditLog.record}. */
export type AuditEventInput = {
  /** Dotted, lower-case verb, e.g. `auth.signin.succeeded`, `authz.denied` (see AUDIT_ACTIONS). */
  action: string;
  outcome: AuditOutcome;
  actor: AuditActor | null;
  target?: AuditTarget;
  /** Defaults to the actor's tenant (null for platform-level events). */
  tenantId?: string | null;
  /** Defaults to the current request context's correlation id, else null. */
  correlationId?: string | null;
  /** Short human-readable cause (`invalid otp`, `missing scope accounts:read`); masked like details. */
  reason?: string;
  /** Free-form context; stored only after {@link sanitizeAuditDetails}. */
  details?: Record<string, unknown>;
  /** When it happened; defaults to now. */
  at?: Date;
  /**
   * Idempotency key ([A-Za-z0-9._:-], at most 128): a producer that may repeat itself (an event
   * consumer on redelivery) passes a stable id and the event is stored once. Defaults to (and an
   * id that breaks those rules is replaced by) a new UUIDv7.
   */
  id?: string;
};

/** A stored audit event, as {@link AuditLog.query} returns it. */
export type AuditEvent = {
  /** UUIDv7 (time-ordered) unless the producer gave its own id; the document's `_id`. */
  id: string;
  at: Date;
  /** The service that recorded it. */
  service: string;
  action: string;
  outcome: AuditOutcome;
  actor: AuditActor | null;
  target?: AuditTarget;
  tenantId: string | null;
  correlationId: string | null;
  reason?: string;
  /** Already sanitized; bigint values arrive as decimal strings. */
  details?: Record<string, unknown>;
};

/** The MongoDB document: an AuditEvent with `id` stored as `_id`. */
export type AuditDocument = Omit<AuditEvent, 'id'> & { _id: string };

/** Operator filters; all given ones must match. */
export type AuditQueryFilter = {
  /** `null` finds platform-level events (no tenant). */
  tenantId?: string | null;
  /** The actor's subject. */
  subject?: string;
  /** Exact action. */
  action?: string;
  /** Action prefix, e.g. `auth.` or `auth.signin.`. */
  actionPrefix?: string;
  outcome?: AuditOutcome;
  correlationId?: string;
  /** Inclusive lower bound on `at`. */
  from?: Date;
  /** Exclusive upper bound on `at`. */
  to?: Date;
};

export type AuditPageRequest = {
  /** Page size, 1 to 200; default 50. */
  first?: number;
  /** `endCursor` of the previous page. */
  after?: string | null;
};

/** One page, newest first. */
export type AuditPage = { events: AuditEvent[]; endCursor: string | null; hasNextPage: boolean };

export type AuditLogStats = {
  /** Events waiting to be written (never above maxBuffered). */
  buffered: number;
  /** Events written (or found already written) since start. */
  written: number;
  /** insertMany calls that completed (a batch each). */
  writes: number;
  /** Events thrown away: oldest dropped from a full buffer, recorded after close, or lost at close. */
  dropped: number;
  /** Events MongoDB refused for good (e.g. a document it cannot store), or that were malformed. */
  rejected: number;
  /** Batch writes that failed and were put back for a retry. */
  failedWrites: number;
};

export type CreateAuditLogOptions = {
  /** e.g. mongodb://127.0.0.1:27017 */
  url: string;
  database: string;
  /** Default `audit_events`. */
  collection?: string;
  logger: Logger;
  /** Stamped as `service` on every event this log records. */
  service: string;
  /** Events per insertMany, and the buffer size that triggers a write before the timer; default 100. */
  batchSize?: number;
  /** Background flush period; default 100 ms. */
  flushIntervalMs?: number;
  /** Most events held while MongoDB is slow or down; beyond it the oldest are dropped. Default 10 000. */
  maxBuffered?: number;
  /** Longest pause between retries of a failing write (doubling from flushIntervalMs); default 5 s. */
  maxRetryDelayMs?: number;
  /** MongoDB driver server selection timeout; default 5 s. */
  serverSelectionTimeoutMS?: number;
  /** ping() gives up (false) after this long; default 2 s. */
  pingTimeoutMs?: number;
};

/**
 * The platform's audit trail. Insert-only by design: there is no update or delete here.
 */
export type AuditLog = {
  /** Buffers one event for the background writer. Never throws and never waits on MongoDB. */
  record(event: AuditEventInput): void;
  /** Writes every event recorded before the call; rejects with AuditError UNAVAILABLE (events stay buffered). */
  flush(): Promise<void>;
  /** Stops the timer, flushes once (logging what is lost if that fails) and closes the client. */
  close(): Promise<void>;
  /** Operator search, newest first, cursor-paginated. Rejects with AuditError INVALID_QUERY, INVALID_CURSOR or UNAVAILABLE. */
  query(filter?: AuditQueryFilter, page?: AuditPageRequest): Promise<AuditPage>;
  /** Creates the collection's indexes (idempotent): at, tenantId+at, actor.subject+at, correlationId. Rejects with UNAVAILABLE. */
  ensureIndexes(): Promise<void>;
  /** Readiness: true when MongoDB answers a ping within pingTimeoutMs. */
  ping(): Promise<boolean>;
  /** Counters for metrics and tests. */
  stats(): AuditLogStats;
};
