import type { PrismaClient } from '../generated/prisma/client';
import { defaultCurrencies } from '../domain/platform-currencies';
import { limitsIn, parseStoredLimits, type Limits, type StoredLimits } from '../domain/limits';
import { DEFAULT_RISK_FAIL_MODE, parseRiskFailMode, type RiskFailMode } from '../domain/risk-fail-mode';
import { parseRequiredKycLevel } from '../domain/kyc-gate';

/** A tenant's account settings as stored (accounts.tenant_settings), or the defaults when it never set any. */
export type TenantSettings = { tenantId: string; currencies: string[]; limits: StoredLimits; riskFailMode: RiskFailMode; requireKycLevel: number };

/** Every statement on accounts.tenant_settings: the currencies a tenant offers, its limits, risk fail mode and KYC requirement. */
export function createTenantSettingsStore(db: PrismaClient, config: { DEFAULT_CURRENCIES: string }) {
  return {
    /** The tenant's settings; without a row, DEFAULT_CURRENCIES, no limits, OPEN, no KYC required. */
    async find(tenantId: string): Promise<TenantSettings> {
      const row = await db.tenantSettings.findUnique({ where: { tenantId } });
      return {
        tenantId,
        currencies: row?.currencies ?? defaultCurrencies(config),
        limits: parseStoredLimits(row?.limits),
        riskFailMode: parseRiskFailMode(row?.riskFailMode),
        requireKycLevel: parseRequiredKycLevel(row?.requireKycLevel),
      };
    },
    /**
     * Replaces a tenant's currencies and limits (the whole set, as setTenantAccountSettings says) and,
     * when given, its risk fail mode and KYC requirement (absent: kept as they are, OPEN and 0 for a new
     * row). Returns what is stored.
     */
    async save(
      settings: Omit<TenantSettings, 'riskFailMode' | 'requireKycLevel'> & { riskFailMode?: RiskFailMode | null; requireKycLevel?: number | null },
    ): Promise<TenantSettings> {
      const { tenantId, currencies, limits } = settings;
      const mode = settings.riskFailMode ?? undefined;
      const kyc = settings.requireKycLevel ?? undefined;
      const optional = { ...(mode ? { riskFailMode: mode } : {}), ...(kyc !== undefined ? { requireKycLevel: kyc } : {}) };
      const row = await db.tenantSettings.upsert({
        where: { tenantId },
        create: { tenantId, currencies, limits, ...optional },
        update: { currencies, limits, ...optional, updatedAt: new Date() },
      });
      return { tenantId, currencies, limits, riskFailMode: parseRiskFailMode(row.riskFailMode), requireKycLevel: parseRequiredKycLevel(row.requireKycLevel) };
    },
    /** The tenant's risk fail mode (DEFAULT_RISK_FAIL_MODE without a row): read when risk cannot answer. */
    async riskFailMode(tenantId: string): Promise<RiskFailMode> {
      const row = await db.tenantSettings.findUnique({ where: { tenantId }, select: { riskFailMode: true } });
      return row ? parseRiskFailMode(row.riskFailMode) : DEFAULT_RISK_FAIL_MODE;
    },
  };
}

export type TenantSettingsStore = ReturnType<typeof createTenantSettingsStore>;

/** A tenant's limits in one currency (absent = unlimited). */
export async function tenantLimits(db: PrismaClient, tenantId: string, currency: string): Promise<Limits> {
  const settings = await db.tenantSettings.findUnique({ where: { tenantId } });
  return limitsIn(parseStoredLimits(settings?.limits), currency);
}
