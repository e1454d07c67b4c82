import neo4j, { type Driver, type Record as Neo4jRecord } from 'neo4j-driver';
import { decodeTimeIdCursor, encodeTimeIdCursor } from '@baas/server';
import { derivedId } from '../domain/derived-id';

export type AssessmentRow = { id: string; scoreBps: number; decision: string; createdAt: string };

/** A stored assessment: what scoring decided and why, so the decision can be explained later. */
export type StoredAssessment = {
  id: string;
  tenantId: string;
  customerId: string;
  movementId: string;
  rail: string;
  scoreBps: number;
  decision: 'ALLOW' | 'REVIEW' | 'BLOCK';
  reasons: string[];
  modelVersion: string;
  features: number[];
  createdAt: Date;
  /** The scored request's fingerprint (requestFingerprint), for replays. */
  fingerprint: string;
  /** Money as the movement carried it: minor units (decimal string) and ISO 4217 currency. */
  amount: string;
  currency: string;
  payerAccountId: string;
  payeeAccountId: string | null;
};

export type AssessmentPage = { items: StoredAssessment[]; endCursor: string | null; hasNextPage: boolean };

export const MAX_PAGE = 100;

/**
 * The id of the assessment of (tenant, movement): derived, so the existing unique constraint on
 * RiskAssessment.id (risk.004) is the (tenantId, movementId) uniqueness, and racing scorers of one
 * movement collide on the insert. UUID-shaped (version nibble 8: derived by the platform).
 */
export function assessmentIdFor(tenantId: string, movementId: string): string {
  return derivedId('risk-assessment', tenantId, movementId);
}

const FIELDS = 'a { .id, .tenantId, .customerId, .movementId, .rail, .scoreBps, .decision, .reasons, .modelVersion, .features, .createdAt, .fingerprint, .amount, .currency, .payerAccountId, .payeeAccountId } AS a';

function fromRecord(r: Neo4jRecord): StoredAssessment {
  const a = r.get('a') as Record<string, unknown>;
  return {
    id: a.id as string,
    tenantId: a.tenantId as string,
    customerId: a.customerId as string,
    movementId: a.movementId as string,
    rail: a.rail as string,
    scoreBps: Number(a.scoreBps),
    decision: a.decision as StoredAssessment['decision'],
    reasons: (a.reasons as string[] | null) ?? [],
    modelVersion: a.modelVersion as string,
    features: ((a.features as unknown[] | null) ?? []).map(Number),
    createdAt: new Date(String(a.createdAt)),
    fingerprint: a.fingerprint as string,
    amount: a.amount as string,
    currency: a.currency as string,
    payerAccountId: a.payerAccountId as string,
    payeeAccountId: (a.payeeAccountId as string | null) ?? null,
  };
}

const isConstraintViolation = (err: unknown): boolean => (err as { code?: string })?.code === 'Neo.ClientError.Schema.ConstraintValidationFailed';

/** Assessments are nodes in the risk graph, next to the customers, devices and accounts they concern. */
export function createRiskAssessmentStore(driver: Driver) {
  async function findById(id: string): Promise<StoredAssessment | null> {
    const result = await driver.executeQuery(`MATCH (a:RiskAssessment {id: $id}) RETURN ${FIELDS}`, { id }, { routing: 'READ' });
    return result.records[0] ? fromRecord(result.records[0]) : null;
  }

  return {
    async findByIds(ids: readonly string[]): Promise<AssessmentRow[]> {
      const result = await driver.executeQuery(
        'MATCH (a:RiskAssessment) WHERE a.id IN $ids RETURN a.id AS id, a.scoreBps AS scoreBps, a.decision AS decision, a.createdAt AS createdAt',
        { ids },
        { routing: 'READ' },
      );
      return result.records.map((r) => ({
        id: r.get('id') as string,
        scoreBps: Number(r.get('scoreBps')),
        decision: r.get('decision') as string,
        createdAt: String(r.get('createdAt')),
      }));
    },

    /** Whole assessments by id (absent ids left out), for explanations. */
    async findFullByIds(ids: readonly string[]): Promise<StoredAssessment[]> {
      const result = await driver.executeQuery(`MATCH (a:RiskAssessment) WHERE a.id IN $ids RETURN ${FIELDS}`, { ids }, { routing: 'READ' });
      return result.records.map(fromRecord);
    },

    /** The assessment of one movement of a tenant, if it was scored. */
    findByMovement(tenantId: string, movementId: string): Promise<StoredAssessment | null> {
      return findById(assessmentIdFor(tenantId, movementId)).then((a) => (a && a.tenantId === tenantId && a.movementId === movementId ? a : null));
    },

    /**
     * Stores a new assessment (its id must be assessmentIdFor(tenantId, movementId)). When that
     * movement was stored first by a concurrent scorer, returns that one with `created: false`.
     */
    async insert(a: StoredAssessment): Promise<{ created: boolean; assessment: StoredAssessment }> {
      if (a.id !== assessmentIdFor(a.tenantId, a.movementId)) throw new Error('risk-assessment-store: the id must be derived from (tenantId, movementId)');
      const props = {
        ...a,
        scoreBps: neo4j.int(a.scoreBps),
        features: a.features.map((f) => Number(f)),
        createdAt: a.createdAt.toISOString(),
      };
      try {
        await driver.executeQuery('CREATE (a:RiskAssessment) SET a = $props', { props }, { routing: 'WRITE' });
        return { created: true, assessment: a };
      } catch (err) {
        if (!isConstraintViolation(err)) throw err;
        const winner = await findById(a.id);
        if (!winner) throw err;
        return { created: false, assessment: winner };
      }
    },

    /**
     * A tenant's assessments (optionally one customer's), newest first: `first` (1-100) after the
     * cursor of a previous page's last item.
     */
    async list(q: { tenantId: string; customerId?: string | null; after?: string | null; first: number }): Promise<AssessmentPage> {
      const first = Math.max(1, Math.min(MAX_PAGE, Math.floor(q.first)));
      const after = q.after ? decodeTimeIdCursor(q.after) : null;
      const result = await driver.executeQuery(
        `MATCH (a:RiskAssessment)
         WHERE a.tenantId = $tenantId
           AND ($customerId IS NULL OR a.customerId = $customerId)
           AND ($afterAt IS NULL OR a.createdAt < $afterAt OR (a.createdAt = $afterAt AND a.id < $afterId))
         RETURN ${FIELDS}
         ORDER BY a.createdAt DESC, a.id DESC
         LIMIT $limit`,
        { tenantId: q.tenantId, customerId: q.customerId ?? null, afterAt: after?.createdAt ?? null, afterId: after?.id ?? null, limit: neo4j.int(first + 1) },
        { routing: 'READ' },
      );
      const rows = result.records.map(fromRecord);
      const items = rows.slice(0, first);
      const last = items[items.length - 1];
      return { items, endCursor: last ? encodeTimeIdCursor(last) : null, hasNextPage: rows.length > first };
    },
  };
}

export type RiskAssessmentStore = ReturnType<typeof createRiskAssessmentStore>;
