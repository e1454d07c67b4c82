import { requireIdentity, type Identity } from '@baas/auth';
import { demand } from '@baas/authz';
import { badInput } from '@baas/errors';
import { isCurrencyCode } from '@baas/money';
import { amountArg } from '@baas/server';
import type { IdentityDirectory } from '../clients/identity';
import { MAX_REQUIRED_KYC_LEVEL } from '../domain/kyc-gate';
import { LIMIT_KINDS, type StoredLimits } from '../domain/limits';
import type { RiskFailMode } from '../domain/risk-fail-mode';
import { mayChangeTenantSettings } from '../permissions';
import type { TenantSettings, TenantSettingsStore } from '../store/tenant-settings-store';
import { resolveSettingsTenant } from './get-tenant-account-settings';

type MoneyInput = { amount: string; currency: string };
export type TenantAccountSettingsInput = {
  tenantId?: string | null;
  currencies: string[];
  perTransaction?: MoneyInput[] | null;
  perDayCustomer?: MoneyInput[] | null;
  perDayTenant?: MoneyInput[] | null;
  /** Absent or null: the stored mode is kept (OPEN for a tenant never set). */
  riskFailMode?: RiskFailMode | null;
  /** The KYC level a customer needs before an account opens (0: not required). Absent or null: kept (0 for a tenant never set). */
  requireKycLevel?: number | null;
};

function validateSettings(input: TenantAccountSettingsInput): { currencies: string[]; limits: StoredLimits } {
  const currencies = [...new Set(input.currencies.map((c) => c.toUpperCase()))];
  if (currencies.length === 0) throw badInput('At least one currency is required.', { field: 'currencies' });
  for (const c of currencies) if (!isCurrencyCode(c)) throw badInput(`${c} is not an ISO 4217 code.`, { field: 'currencies' });
  const limits: StoredLimits = {};
  for (const kind of LIMIT_KINDS) {
    const entries: Record<string, string> = {};
    for (const item of input[kind] ?? []) {
      const currency = item.currency.toUpperCase();
      if (!isCurrencyCode(currency)) throw badInput(`${item.currency} is not an ISO 4217 code.`, { field: kind });
      if (Object.hasOwn(entries, currency)) throw badInput(`${currency} appears twice.`, { field: kind });
      entries[currency] = amountArg(item.amount, kind).toString();
    }
    limits[kind] = entries;
  }
  return { currencies, limits };
}

/**
 * setTenantAccountSettings: replaces a tenant's currencies and limits (the whole set) and sets its
 * risk fail mode and KYC requirement (requireKycLevel, 0 to MAX_REQUIRED_KYC_LEVEL; 0 turns it off) when
 * given, by platform operators only (mayChangeTenantSettings); the tenant must be
 * known to identity.
 */
export async function setTenantAccountSettings(
  deps: { tenantSettings: Pick<TenantSettingsStore, 'save'>; directory: Pick<IdentityDirectory, 'requireKnownTenant'> },
  identity: Identity | null,
  input: TenantAccountSettingsInput,
): Promise<TenantSettings> {
  const who = requireIdentity(identity);
  demand(mayChangeTenantSettings(who));
  const settings = validateSettings(input);
  const tenantId = await resolveSettingsTenant(deps, who, input.tenantId);
  if (input.riskFailMode != null && input.riskFailMode !== 'OPEN' && input.riskFailMode !== 'CLOSED') throw badInput('riskFailMode must be OPEN or CLOSED.', { field: 'riskFailMode' });
  const kyc = input.requireKycLevel;
  if (kyc != null && (!Number.isInteger(kyc) || kyc < 0 || kyc > MAX_REQUIRED_KYC_LEVEL)) {
    throw badInput(`requireKycLevel must be an integer from 0 (not required) to ${MAX_REQUIRED_KYC_LEVEL}.`, { field: 'requireKycLevel' });
  }
  return deps.tenantSettings.save({ tenantId, ...settings, riskFailMode: input.riskFailMode ?? null, requireKycLevel: kyc ?? null });
}
