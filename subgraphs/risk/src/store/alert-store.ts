import { createHash } from 'node:crypto';
import neo4j, { type Driver, type Record as Neo4jRecord } from 'neo4j-driver';
import { decodeTimeIdCursor, encodeTimeIdCursor } from '@baas/server';
import { derivedId } from '../domain/derived-id';
import { defineNeo4jMigrations } from '@baas/neo4j';
import type { AlertStatus } from '../domain/alert-lifecycle';
import type { GraphAlert } from '../domain/graph-alerts';

/**
 * Risk alerts in the risk graph: (:RiskAlert {id, tenantId, kind, status, subjectIds, dedupeKey,
 * details (JSON text), note, createdAt, updatedAt}) and, per status change, (:RiskAlertChange {key,
 * alertId, tenantId, from, to, note, fingerprint, actor, at}). Times are ISO strings (they sort).
 *
 * - `raise` is the graph scans' port (workers/graph-scan.ts RaiseAlert): a MERGE on the unique
 *   dedupeKey, so a finding raised by many scans, in many processes at once, is one alert, and a
 *   later raise changes nothing (not even a DISMISSED alert's status).
 * - `applyChange` moves an alert only from the status the caller read (compare and set) and records
 *   the change under its idempotency key (unique per tenant) in the same statement: a racing change
 *   finds the alert moved (STALE), a racing repeat of the key finds it taken (KEY_TAKEN).
 */
export const alertMigrations = defineNeo4jMigrations([
  { name: 'risk-alerts.001_alert_id_unique', cypher: 'CREATE CONSTRAINT risk_alert_id_unique IF NOT EXISTS FOR (a:RiskAlert) REQUIRE a.id IS UNIQUE' },
  { name: 'risk-alerts.002_alert_dedupe_unique', cypher: 'CREATE CONSTRAINT risk_alert_dedupe_unique IF NOT EXISTS FOR (a:RiskAlert) REQUIRE a.dedupeKey IS UNIQUE' },
  { name: 'risk-alerts.003_alert_tenant_created', cypher: 'CREATE INDEX risk_alert_tenant_created IF NOT EXISTS FOR (a:RiskAlert) ON (a.tenantId, a.createdAt)' },
  { name: 'risk-alerts.004_alert_change_key_unique', cypher: 'CREATE CONSTRAINT risk_alert_change_key_unique IF NOT EXISTS FOR (c:RiskAlertChange) REQUIRE c.key IS UNIQUE' },
]);

export type AlertRow = {
  id: string;
  tenantId: string;
  kind: GraphAlert['kind'];
  status: AlertStatus;
  subjectIds: string[];
  dedupeKey: string;
  /** JSON object text. */
  details: string;
  note: string | null;
  createdAt: Date;
  updatedAt: Date;
};

export type AlertChangeRow = { key: string; alertId: string; tenantId: string; from: AlertStatus; to: AlertStatus; note: string | null; fingerprint: string; actor: string; at: Date };
export type AlertPage = { items: AlertRow[]; endCursor: string | null; hasNextPage: boolean };

export const MAX_ALERT_PAGE = 100;

/** The alert id of a finding: derived from its dedupe key (UUID-shaped, version nibble 8). */
export function alertIdFor(dedupeKey: string): string {
  return derivedId('risk-alert', dedupeKey);
}

/** The stored key of a status change: the tenant's idempotency key, hashed with the tenant (keys are per tenant). */
export function alertChangeKey(tenantId: string, idempotencyKey: string): string {
  return createHash('sha256').update(`risk-alert-change\u0000${tenantId}\u0000${idempotencyKey}`).digest('hex');
}

const FIELDS = 'a { .id, .tenantId, .kind, .status, .subjectIds, .dedupeKey, .details, .note, .createdAt, .updatedAt } AS a';

function fromRecord(r: Neo4jRecord): AlertRow {
  const a = r.get('a') as Record<string, unknown>;
  return {
    id: a.id as string,
    tenantId: a.tenantId as string,
    kind: a.kind as AlertRow['kind'],
    status: a.status as AlertStatus,
    subjectIds: (a.subjectIds as string[] | null) ?? [],
    dedupeKey: a.dedupeKey as string,
    details: (a.details as string | null) ?? '{}',
    note: (a.note as string | null) ?? null,
    createdAt: new Date(String(a.createdAt)),
    updatedAt: new Date(String(a.updatedAt)),
  };
}

const json = (value: unknown) => JSON.stringify(value, (_k, v: unknown) => (typeof v === 'bigint' ? v.toString() : v));
const isConstraintViolation = (err: unknown): boolean => (err as { code?: string })?.code === 'Neo.ClientError.Schema.ConstraintValidationFailed';
const READ = { routing: neo4j.routing.READ } as const;
const WRITE = { routing: neo4j.routing.WRITE } as const;

export function createAlertStore(driver: Driver, opts: { clock?: () => Date } = {}) {
  const clock = opts.clock ?? (() => new Date());

  return {
    /** Raises a finding once: the first raise creates it OPEN (`created: true`); any later one returns it unchanged. */
    async raise(alert: GraphAlert): Promise<{ created: boolean; alert: AlertRow }> {
      const now = clock().toISOString();
      const result = await driver.executeQuery(
        `MERGE (a:RiskAlert {dedupeKey: $dedupeKey})
           ON CREATE SET a.id = $id, a.tenantId = $tenantId, a.kind = $kind, a.status = 'OPEN', a.subjectIds = $subjectIds,
                         a.details = $details, a.note = null, a.createdAt = $now, a.updatedAt = $now, a.raisedNow = true
         WITH a, coalesce(a.raisedNow, false) AS created
         REMOVE a.raisedNow
         RETURN created, ${FIELDS}`,
        { dedupeKey: alert.dedupeKey, id: alertIdFor(alert.dedupeKey), tenantId: alert.tenantId, kind: alert.kind, subjectIds: [...alert.subjectIds], details: json(alert.details ?? {}), now },
        WRITE,
      );
      const record = result.records[0]!;
      return { created: record.get('created') === true, alert: fromRecord(record) };
    },

    async findByIds(ids: readonly string[]): Promise<AlertRow[]> {
      const result = await driver.executeQuery(`MATCH (a:RiskAlert) WHERE a.id IN $ids RETURN ${FIELDS}`, { ids: [...ids] }, READ);
      return result.records.map(fromRecord);
    },

    /** A tenant's alerts, newest first, optionally in one status: `first` (1-100) after a previous page's endCursor. */
    async list(q: { tenantId: string; status?: AlertStatus | null; after?: string | null; first: number }): Promise<AlertPage> {
      const first = Math.max(1, Math.min(MAX_ALERT_PAGE, Math.floor(q.first)));
      const after = q.after ? decodeTimeIdCursor(q.after) : null;
      const result = await driver.executeQuery(
        `MATCH (a:RiskAlert)
         WHERE a.tenantId = $tenantId
           AND ($status IS NULL OR a.status = $status)
           AND ($afterAt IS NULL OR a.createdAt < $afterAt OR (a.createdAt = $afterAt AND a.id < $afterId))
         RETURN ${FIELDS}
         ORDER BY a.createdAt DESC, a.id DESC
         LIMIT $limit`,
        { tenantId: q.tenantId, status: q.status ?? null, afterAt: after?.createdAt ?? null, afterId: after?.id ?? null, limit: neo4j.int(first + 1) },
        READ,
      );
      const rows = result.records.map(fromRecord);
      const items = rows.slice(0, first);
      const last = items[items.length - 1];
      return { items, endCursor: last ? encodeTimeIdCursor(last) : null, hasNextPage: rows.length > first };
    },

    /** The status change recorded under a tenant's idempotency key, if any. */
    async findChange(tenantId: string, idempotencyKey: string): Promise<AlertChangeRow | null> {
      const result = await driver.executeQuery(
        'MATCH (c:RiskAlertChange {key: $key}) RETURN c { .* } AS c',
        { key: alertChangeKey(tenantId, idempotencyKey) },
        READ,
      );
      const c = result.records[0]?.get('c') as Record<string, unknown> | undefined;
      if (!c) return null;
      return {
        key: c.key as string,
        alertId: c.alertId as string,
        tenantId: c.tenantId as string,
        from: c.from as AlertStatus,
        to: c.to as AlertStatus,
        note: (c.note as string | null) ?? null,
        fingerprint: c.fingerprint as string,
        actor: c.actor as string,
        at: new Date(String(c.at)),
      };
    },

    /**
     * Moves the alert from `from` to `to` and records the change, in one statement. STALE: the
     * alert is no longer in `from` (or gone); KEY_TAKEN: the key was used meanwhile. Nothing is
     * written in either case.
     */
    async applyChange(c: { alertId: string; tenantId: string; from: AlertStatus; to: AlertStatus; note: string | null; idempotencyKey: string; fingerprint: string; actor: string }): Promise<{ outcome: 'APPLIED'; alert: AlertRow } | { outcome: 'STALE' | 'KEY_TAKEN' }> {
      const at = clock().toISOString();
      try {
        const result = await driver.executeQuery(
          `MATCH (a:RiskAlert {id: $alertId}) WHERE a.tenantId = $tenantId AND a.status = $from
           SET a.status = $to, a.note = $note, a.updatedAt = $at
           CREATE (c:RiskAlertChange {key: $key, alertId: $alertId, tenantId: $tenantId, from: $from, to: $to, note: $note,
                                      fingerprint: $fingerprint, actor: $actor, at: $at})
           RETURN ${FIELDS}`,
          { ...c, key: alertChangeKey(c.tenantId, c.idempotencyKey), at },
          WRITE,
        );
        const record = result.records[0];
        return record ? { outcome: 'APPLIED', alert: fromRecord(record) } : { outcome: 'STALE' };
      } catch (err) {
        if (isConstraintViolation(err)) return { outcome: 'KEY_TAKEN' };
        throw err;
      }
    },

    /** Tests and erasure: removes the tenants' alerts and their changes. */
    async deleteTenants(tenantIds: readonly string[]): Promise<void> {
      await driver.executeQuery('MATCH (n) WHERE (n:RiskAlert OR n:RiskAlertChange) AND n.tenantId IN $tenantIds DETACH DELETE n', { tenantIds: [...tenantIds] }, WRITE);
    },
  };
}

export type AlertStore = ReturnType<typeof createAlertStore>;
