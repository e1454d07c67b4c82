import { unauthenticated } from '@baas/errors';
import type { Identity } from '@baas/auth';
import type { TenantRiskSettings } from '../domain/risk-settings';
import { riskTenant } from '../permissions';

export type { TenantRiskSettings };
export type GetRiskSettingsDeps = {
  settings: { get(tenantId: string): Promise<TenantRiskSettings> };
  /** Identity's directory: a tenant an operator names must exist (NOT_FOUND otherwise). */
  directory: { requireKnownTenant(tenantId: string | null | undefined): Promise<unknown> };
};

/**
 * A tenant's risk settings (the defaults until it sets any): a tenant's API client its own,
 * operators and internal services naming a tenant that exists.
 */
export async function getRiskSettings(deps: GetRiskSettingsDeps, identity: Identity | null, args: { tenantId?: string | null }): Promise<TenantRiskSettings> {
  if (!identity) throw unauthenticated();
  const tenantId = riskTenant(identity, args.tenantId);
  if (identity.tenantId !== tenantId) await deps.directory.requireKnownTenant(tenantId);
  return deps.settings.get(tenantId);
}
