import { unauthenticated } from '@baas/errors';
import type { Identity } from '@baas/auth';
import { maySeeRiskRecord, riskRecordDenied } from '../permissions';
import type { AlertRow } from '../store/alert-store';

export type GetRiskAlertDeps = { alerts: { load(id: string): Promise<AlertRow | null> } };

/** An alert by id: operators and internal services any, a tenant's API client its own tenant's (else FORBIDDEN; NOT_FOUND for platform callers). */
export async function getRiskAlert(deps: GetRiskAlertDeps, identity: Identity | null, id: string): Promise<AlertRow> {
  if (!identity) throw unauthenticated();
  const row = await deps.alerts.load(id);
  if (!row || !maySeeRiskRecord(identity, row)) throw riskRecordDenied(identity, 'Risk alert');
  return row;
}
