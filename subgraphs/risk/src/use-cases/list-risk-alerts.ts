import { badInput, unauthenticated } from '@baas/errors';
import type { Identity } from '@baas/auth';
import type { AlertStatus } from '../domain/alert-lifecycle';
import { riskTenant } from '../permissions';
import { MAX_ALERT_PAGE, type AlertPage, type AlertRow } from '../store/alert-store';

export type { AlertRow, AlertPage };
export type ListRiskAlertsDeps = {
  alerts: { list(q: { tenantId: string; status?: AlertStatus | null; after?: string | null; first: number }): Promise<AlertPage> };
};

export type ListRiskAlertsArgs = { tenantId?: string | null; status?: AlertStatus | null; first?: number | null; after?: string | null };

/**
 * A tenant's alerts, newest first, optionally in one status: a tenant's API client reads its own
 * tenant, operators and internal services name one. `first` 1-100 (default 50).
 */
export async function listRiskAlerts(deps: ListRiskAlertsDeps, identity: Identity | null, args: ListRiskAlertsArgs): Promise<AlertPage> {
  if (!identity) throw unauthenticated();
  const tenantId = riskTenant(identity, args.tenantId);
  const first = args.first ?? 50;
  if (!Number.isInteger(first) || first < 1 || first > MAX_ALERT_PAGE) throw badInput(`first must be between 1 and ${MAX_ALERT_PAGE}.`, { field: 'first', limit: MAX_ALERT_PAGE });
  return deps.alerts.list({ tenantId, status: args.status ?? null, after: args.after ?? null, first });
}
