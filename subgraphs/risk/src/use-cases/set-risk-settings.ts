import { badInput, forbidden, unauthenticated } from '@baas/errors';
import { amountArg } from '@baas/server';
import type { Identity } from '@baas/auth';
import type { RiskSettingsPatch, TenantRiskSettings } from '../domain/risk-settings';
import { mayManageTenantRisk, riskTenant } from '../permissions';

export type SetRiskSettingsDeps = {
  settings: { set(tenantId: string, patch: RiskSettingsPatch): Promise<TenantRiskSettings> };
  /** Identity's directory: a tenant an operator names must exist (NOT_FOUND otherwise). */
  directory: { requireKnownTenant(tenantId: string | null | undefined): Promise<unknown> };
};

export type SetRiskSettingsInput = {
  tenantId?: string | null;
  reviewAtBps?: number | null;
  blockAtBps?: number | null;
  blockAboveAmount?: readonly { currency: string; minorUnits?: string | null }[] | null;
  blockConfirmedFraud?: boolean | null;
};

export const MAX_AMOUNT_LIMITS = 50;

/**
 * Changes a tenant's risk settings: operators naming a tenant that exists, or the tenant's own API
 * client holding tenant:write. Absent fields keep their value; limits are minor units as digits (0
 * allowed: block every movement in that currency) or null to remove one. The store checks the
 * whole (1 <= reviewAtBps <= blockAtBps <= 10000, ISO currencies) and nothing is written when a
 * check fails. Setting the same values again changes nothing but `updatedAt`: no idempotency key.
 */
export async function setRiskSettings(deps: SetRiskSettingsDeps, identity: Identity | null, input: SetRiskSettingsInput): Promise<TenantRiskSettings> {
  if (!identity) throw unauthenticated();
  const tenantId = riskTenant(identity, input.tenantId);
  if (!mayManageTenantRisk(identity, tenantId)) throw forbidden();
  if (identity.tenantId !== tenantId) await deps.directory.requireKnownTenant(tenantId);
  const limits = input.blockAboveAmount ?? null;
  if (limits && limits.length > MAX_AMOUNT_LIMITS) throw badInput(`blockAboveAmount takes at most ${MAX_AMOUNT_LIMITS} currencies.`, { field: 'blockAboveAmount', limit: MAX_AMOUNT_LIMITS });
  const patch: RiskSettingsPatch = {
    ...(input.reviewAtBps != null ? { reviewAtBps: input.reviewAtBps } : {}),
    ...(input.blockAtBps != null ? { blockAtBps: input.blockAtBps } : {}),
    ...(input.blockConfirmedFraud != null ? { blockConfirmedFraud: input.blockConfirmedFraud } : {}),
    ...(limits
      ? {
          blockAboveAmount: Object.fromEntries(
            limits.map((l, index) => [l.currency, l.minorUnits == null ? null : amountArg(l.minorUnits, 'blockAboveAmount.minorUnits', { sign: 'non-negative', index })]),
          ),
        }
      : {}),
  };
  return deps.settings.set(tenantId, patch);
}
