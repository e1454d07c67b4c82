import { moneyField } from '@baas/money';
import type { StoredAssessment } from '../use-cases/get-risk-assessment';
import type { AlertRow } from '../use-cases/list-risk-alerts';
import type { TenantRiskSettings } from '../use-cases/get-risk-settings';

/** The shortest decimal text that reads back as the same float32 (a model input, never money). */
export function float32Text(x: number): string {
  const f = Math.fround(x);
  if (!Number.isFinite(f)) return String(f);
  for (let p = 1; p <= 9; p++) {
    const text = String(Number(f.toPrecision(p)));
    if (Math.fround(Number(text)) === f) return text;
  }
  return String(f);
}

/** An assessment as the API shows it (tenantId and customerId also feed the record rule). */
export function assessmentView(a: StoredAssessment) {
  return {
    id: a.id,
    tenantId: a.tenantId,
    customerId: a.customerId,
    movementId: a.movementId,
    rail: a.rail,
    amount: moneyField(a.amount, a.currency),
    scoreBps: a.scoreBps,
    decision: a.decision,
    reasons: a.reasons,
    modelVersion: a.modelVersion,
    features: a.features.map(float32Text),
    createdAt: a.createdAt.toISOString(),
  };
}

export function alertView(a: AlertRow) {
  return {
    id: a.id,
    tenantId: a.tenantId,
    kind: a.kind,
    status: a.status,
    subjectIds: a.subjectIds,
    details: a.details,
    note: a.note,
    createdAt: a.createdAt.toISOString(),
    updatedAt: a.updatedAt.toISOString(),
  };
}

export function settingsView(s: TenantRiskSettings) {
  return {
    tenantId: s.tenantId,
    reviewAtBps: s.reviewAtBps,
    blockAtBps: s.blockAtBps,
    blockAboveAmount: Object.entries(s.rules.blockAboveAmount)
      .filter((entry): entry is [string, bigint] => entry[1] !== null)
      .sort(([a], [b]) => a.localeCompare(b))
      .map(([currency, limit]) => moneyField(limit, currency)),
    blockConfirmedFraud: s.rules.blockConfirmedFraud,
    updatedAt: s.updatedAt ? s.updatedAt.toISOString() : null,
  };
}
