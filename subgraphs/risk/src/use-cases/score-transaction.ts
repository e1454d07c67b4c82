import { badInput, DomainError } from '@baas/errors';
import { checkReplay, requestFingerprint } from '@baas/idempotency';
import type { Logger } from '@baas/observability';
import { buildFraudFeatures, RAILS, type GraphFeatureSnapshot, type Rail } from '../domain/fraud-features';
import { decide, scoreBpsFromProbability } from '../domain/risk-decision';
import type { TenantRiskSettings } from '../domain/risk-settings';
import { assessmentIdFor, type StoredAssessment } from '../store/risk-assessment-store';
import type { VelocityObservation, VelocityStatus } from '../store/velocity-store';
import type { VelocitySnapshot } from '../domain/fraud-features';

/**
 * Scores one money movement in real time: velocity features from Redis (read and counted in one
 * round trip), graph features from the scans' Redis cache (never a graph query here), the ONNX
 * fraud model, then the tenant's thresholds and rules. Every assessment is stored.
 *
 * Account ids: `payerAccountId` / `payeeAccountId` are the ACCOUNTS subgraph's account ids (the
 * velocity counters are kept under them); the graph knows ledger account ids, so the graph features
 * are looked up under `payerLedgerAccountId` / `payeeLedgerAccountId` when given (else the same ids).
 *
 * Idempotent per (tenantId, movementId): a repeat returns the stored assessment (same id, same
 * decision) without scoring or counting again; a repeat with another amount, payer, payee, rail,
 * currency or customer is IDEMPOTENCY_KEY_REUSED.
 */
export type ScoreTransactionInput = {
  movementId: string;
  tenantId: string;
  customerId: string;
  rail: 'TRANSFER' | 'FX' | 'PIX' | 'TED' | 'WIRE' | 'CARD';
  payerAccountId: string;
  payeeAccountId: string | null;
  amount: bigint;
  currency: string;
  occurredAt: Date;
  deviceId?: string | null;
  ip?: string | null;
  accountOpenedAt?: Date | null;
  /** The payer's ledger account id, for the graph features (default payerAccountId). */
  payerLedgerAccountId?: string | null;
  /** The payee's ledger account id, for the graph features (default payeeAccountId). */
  payeeLedgerAccountId?: string | null;
  /** The customer's IANA time zone for hour_local (default America/Sao_Paulo). */
  timeZone?: string | null;
};

/** What scoring answers: the stored assessment without its replay fingerprint and the movement's money and accounts. */
export type RiskAssessment = Omit<StoredAssessment, 'fingerprint' | 'amount' | 'currency' | 'payerAccountId' | 'payeeAccountId'>;

/** What the graph consumer learns from a scored movement (identifiers seen for a customer and account). */
export type ObservedIdentifiers = {
  tenantId: string;
  customerId: string;
  accountId: string;
  identifiers: { kind: 'DEVICE' | 'IP'; value: string }[];
};

export type ScoreTransactionDeps = {
  assessments: {
    findByMovement(tenantId: string, movementId: string): Promise<StoredAssessment | null>;
    insert(a: StoredAssessment): Promise<{ created: boolean; assessment: StoredAssessment }>;
  };
  velocity: { observe(q: VelocityObservation): Promise<{ status: VelocityStatus; snapshot: VelocitySnapshot | null }> };
  graphFeatures: { read(q: { customerId: string; payerAccountId: string; payeeAccountId: string | null }): Promise<GraphFeatureSnapshot> };
  settings: { get(tenantId: string): Promise<TenantRiskSettings> };
  model: { version: string; predictFraud(row: Float32Array): Promise<number> };
  now?: () => Date;
  /** RISK_LOCAL_HOUR: every movement scored as if made at this local hour (test platforms only). */
  localHour?: number;
  /** Fire and forget: a failure is logged, never thrown. */
  publishObserved?: (o: ObservedIdentifiers) => Promise<unknown> | unknown;
  logger?: Pick<Logger, 'warn'>;
};

export const SCORE_FINGERPRINT_KIND = 'risk.score-transaction/v1';
const CURRENCY = /^[A-Z]{3}$/;
const MAX_AMOUNT = 2n ** 62n;

function validate(input: ScoreTransactionInput): void {
  for (const field of ['movementId', 'tenantId', 'customerId', 'payerAccountId'] as const) {
    const v = input[field];
    if (typeof v !== 'string' || v.length === 0 || v.length > 200) throw badInput(`${field} is required.`, { field });
  }
  if (input.payeeAccountId !== null && (typeof input.payeeAccountId !== 'string' || input.payeeAccountId.length === 0 || input.payeeAccountId.length > 200)) {
    throw badInput('payeeAccountId must be an id or null.', { field: 'payeeAccountId' });
  }
  if (!(RAILS as readonly string[]).includes(input.rail)) throw badInput('rail is not known.', { field: 'rail' });
  if (typeof input.amount !== 'bigint' || input.amount <= 0n || input.amount >= MAX_AMOUNT) throw badInput('amount must be positive minor units.', { field: 'amount' });
  if (!CURRENCY.test(input.currency)) throw badInput('currency must be an ISO 4217 code.', { field: 'currency' });
  if (!(input.occurredAt instanceof Date) || !Number.isFinite(input.occurredAt.getTime())) throw badInput('occurredAt must be a date.', { field: 'occurredAt' });
}

function toAssessment(a: StoredAssessment): RiskAssessment {
  return {
    id: a.id,
    tenantId: a.tenantId,
    customerId: a.customerId,
    movementId: a.movementId,
    rail: a.rail,
    scoreBps: a.scoreBps,
    decision: a.decision,
    reasons: a.reasons,
    modelVersion: a.modelVersion,
    features: a.features,
    createdAt: a.createdAt,
  };
}

export async function scoreTransaction(deps: ScoreTransactionDeps, input: ScoreTransactionInput): Promise<RiskAssessment> {
  validate(input);
  const fingerprint = requestFingerprint(SCORE_FINGERPRINT_KIND, {
    customerId: input.customerId,
    rail: input.rail,
    payerAccountId: input.payerAccountId,
    payeeAccountId: input.payeeAccountId,
    amount: input.amount,
    currency: input.currency,
  });
  const replay = (a: StoredAssessment) =>
    toAssessment(checkReplay({ hash: fingerprint, storedHash: (r: StoredAssessment) => r.fingerprint, scope: (r) => r.tenantId === input.tenantId }, a));

  const now = deps.now?.() ?? new Date();
  const payerGraphId = input.payerLedgerAccountId ?? input.payerAccountId;
  const payeeGraphId = input.payeeLedgerAccountId ?? input.payeeAccountId;
  // The stored assessment is read only when the velocity script says the movement was seen (its
  // marker per movement lives 7 days): a first score makes no Neo4j read before its write. A repeat
  // the marker forgot (older, or Redis lost) is still answered as stored: the insert finds it taken.
  const [observed, graph, settings] = await Promise.all([
    deps.velocity.observe({
      tenantId: input.tenantId,
      movementId: input.movementId,
      fingerprint,
      customerId: input.customerId,
      payerAccountId: input.payerAccountId,
      payeeAccountId: input.payeeAccountId,
      currency: input.currency,
      amount: input.amount,
      now,
      deviceId: input.deviceId ?? null,
      ip: input.ip ?? null,
      accountOpenedAt: input.accountOpenedAt ?? null,
    }),
    deps.graphFeatures.read({ customerId: input.customerId, payerAccountId: payerGraphId, payeeAccountId: payeeGraphId }),
    deps.settings.get(input.tenantId),
  ]);
  if (observed.status !== 'RECORDED') {
    const stored = await deps.assessments.findByMovement(input.tenantId, input.movementId);
    if (stored) return replay(stored);
  }
  if (observed.status === 'KEY_REUSED' || !observed.snapshot) throw new DomainError('IDEMPOTENCY_KEY_REUSED');

  const features = buildFraudFeatures({
    amount: input.amount,
    rail: input.rail as Rail,
    occurredAt: input.occurredAt,
    now,
    velocity: observed.snapshot,
    graph,
    timeZone: input.timeZone ?? undefined,
    ...(deps.localHour !== undefined ? { localHour: deps.localHour } : {}),
  });
  const scoreBps = scoreBpsFromProbability(await deps.model.predictFraud(features));
  const { decision, reasons } = decide({ scoreBps, features, amount: input.amount, currency: input.currency, settings });

  const { created, assessment } = await deps.assessments.insert({
    id: assessmentIdFor(input.tenantId, input.movementId),
    tenantId: input.tenantId,
    customerId: input.customerId,
    movementId: input.movementId,
    rail: input.rail,
    scoreBps,
    decision,
    reasons,
    modelVersion: deps.model.version,
    features: Array.from(features),
    createdAt: now,
    fingerprint,
    amount: input.amount.toString(),
    currency: input.currency,
    payerAccountId: input.payerAccountId,
    payeeAccountId: input.payeeAccountId,
  });
  if (!created) return replay(assessment);

  publish(deps, {
    tenantId: input.tenantId,
    customerId: input.customerId,
    accountId: payerGraphId,
    identifiers: [
      ...(input.deviceId ? [{ kind: 'DEVICE' as const, value: input.deviceId }] : []),
      ...(input.ip ? [{ kind: 'IP' as const, value: input.ip }] : []),
    ],
  });
  return toAssessment(assessment);
}

function publish(deps: ScoreTransactionDeps, o: ObservedIdentifiers): void {
  if (!deps.publishObserved) return;
  const warn = (err: unknown) => deps.logger?.warn({ err: err instanceof Error ? err.message : String(err), tenantId: o.tenantId }, 'risk: publishing observed identifiers failed');
  try {
    Promise.resolve(deps.publishObserved(o)).catch(warn);
  } catch (err) {
    warn(err);
  }
}
