import { badInput, DomainError, forbidden, unauthenticated } from '@baas/errors';
import { checkReplay, requestFingerprint } from '@baas/idempotency';
import type { Identity } from '@baas/auth';
import { assertAlertTransition, confirmedFraudSubjects, isAlertStatus, normalizeAlertNote, type AlertStatus } from '../domain/alert-lifecycle';
import { mayManageTenantRisk, maySeeRiskRecord, riskRecordDenied } from '../permissions';
import type { AlertChangeRow, AlertRow } from '../store/alert-store';

export type UpdateRiskAlertStatusDeps = {
  alerts: {
    findByIds(ids: readonly string[]): Promise<AlertRow[]>;
    findChange(tenantId: string, idempotencyKey: string): Promise<AlertChangeRow | null>;
    applyChange(c: { alertId: string; tenantId: string; from: AlertStatus; to: AlertStatus; note: string | null; idempotencyKey: string; fingerprint: string; actor: string }): Promise<{ outcome: 'APPLIED'; alert: AlertRow } | { outcome: 'STALE' | 'KEY_TAKEN' }>;
  };
  /** The graph store's markConfirmedFraud (idempotent): a confirmed fraud marks its subjects. */
  markConfirmedFraud(m: { tenantId: string; customerId?: string; accountId?: string }): Promise<void>;
};

export type UpdateRiskAlertStatusInput = { alertId: string; status: string; note?: string | null; idempotencyKey: string };

export const ALERT_CHANGE_FINGERPRINT_KIND = 'risk.update-alert-status/v1';
const KEY = /^[A-Za-z0-9][A-Za-z0-9_.:-]{0,127}$/;

async function markGraph(deps: UpdateRiskAlertStatusDeps, alert: AlertRow): Promise<void> {
  const { customerIds, accountIds } = confirmedFraudSubjects(alert.kind, alert.subjectIds);
  for (const customerId of customerIds) await deps.markConfirmedFraud({ tenantId: alert.tenantId, customerId });
  for (const accountId of accountIds) await deps.markConfirmedFraud({ tenantId: alert.tenantId, accountId });
}

/**
 * Moves an alert along its lifecycle (domain/alert-lifecycle.ts): operators, or the owning tenant's
 * API client holding tenant:write. The idempotency key is the tenant's: a repeat with the same
 * key and request answers the alert as it is now and writes nothing; the same key with another
 * request is IDEMPOTENCY_KEY_REUSED. A move not allowed is CONFLICT (INVALID_STATE_TRANSITION);
 * an alert moved meanwhile by someone else is judged again from its new status. CONFIRMED_FRAUD
 * marks the subjects in the graph (customers for identity patterns, accounts for payment
 * patterns) after the change is stored; a repeat of the request marks them again (idempotent), so
 * a failed marking is healed by retrying with the same key.
 */
export async function updateRiskAlertStatus(deps: UpdateRiskAlertStatusDeps, identity: Identity | null, input: UpdateRiskAlertStatusInput): Promise<AlertRow> {
  if (!identity) throw unauthenticated();
  if (!isAlertStatus(input.status)) throw badInput('status is not an alert status.', { field: 'status' });
  if (!KEY.test(input.idempotencyKey)) throw badInput('idempotencyKey must be 1-128 letters, digits, or _ . : -', { field: 'idempotencyKey' });
  const to = input.status;
  const note = normalizeAlertNote(input.note);
  const load = async () => (await deps.alerts.findByIds([input.alertId]))[0] ?? null;

  let alert = await load();
  if (!alert || !maySeeRiskRecord(identity, alert)) throw riskRecordDenied(identity, 'Risk alert');
  if (!mayManageTenantRisk(identity, alert.tenantId)) throw forbidden();
  const tenantId = alert.tenantId;
  const fingerprint = requestFingerprint(ALERT_CHANGE_FINGERPRINT_KIND, { alertId: alert.id, status: to, note });

  const replay = async (change: AlertChangeRow): Promise<AlertRow> => {
    checkReplay({ hash: fingerprint, storedHash: (c: AlertChangeRow) => c.fingerprint, scope: (c) => c.tenantId === tenantId }, change);
    const current = (await load())!;
    if (change.to === 'CONFIRMED_FRAUD') await markGraph(deps, current);
    return current;
  };

  const stored = await deps.alerts.findChange(tenantId, input.idempotencyKey);
  if (stored) return replay(stored);

  // A concurrent change can move the alert between the read and the write: judge again, at most a few times.
  for (let attempt = 0; attempt < 3; attempt++) {
    assertAlertTransition(alert.status, to);
    const result = await deps.alerts.applyChange({ alertId: alert.id, tenantId, from: alert.status, to, note, idempotencyKey: input.idempotencyKey, fingerprint, actor: `${identity.kind}:${identity.subject}` });
    if (result.outcome === 'APPLIED') {
      if (to === 'CONFIRMED_FRAUD') await markGraph(deps, result.alert);
      return result.alert;
    }
    if (result.outcome === 'KEY_TAKEN') {
      const winner = await deps.alerts.findChange(tenantId, input.idempotencyKey);
      if (winner) return replay(winner);
      throw new DomainError('IDEMPOTENCY_KEY_IN_FLIGHT');
    }
    alert = await load();
    if (!alert) throw riskRecordDenied(identity, 'Risk alert');
  }
  throw new DomainError('CONFLICT', 'The alert keeps changing: read it again and retry.', { reason: 'CONCURRENT_UPDATE' });
}
