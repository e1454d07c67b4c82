import type { PrismaClient } from '../generated/prisma/client';
import { defaultCurrencies } from '../domain/platform-currencies';
import { limitsIn, parseStoredLimits, type Limits, type StoredLimits } from '../domain/limits';

/** A tenant's account settings as stored (accounts.tenant_settings), or the defaults when it never set any. */
export type TenantSettings = { tenantId: string; currencies: string[]; limits: StoredLimits };

/** Every statement on accounts.tenant_settings: the currencies a tenant offers and its limits. */
export function createTenantSettingsStore(db: PrismaClient, config: { DEFAULT_CURRENCIES: string }) {
  return {
    /** The tenant's settings; without a row, DEFAULT_CURRENCIES and no limits. */
    async find(tenantId: string): Promise<TenantSettings> {
      const row = await db.tenantSettings.findUnique({ where: { tenantId } });
      return { tenantId, currencies: row?.currencies ?? defaultCurrencies(config), limits: parseStoredLimits(row?.limits) };
    },
    /** Replaces a tenant's account settings (the whole set, as setTenantAccountSettings says). */
    async save(settings: TenantSettings): Promise<void> {
      const { tenantId, currencies, limits } = settings;
      await db.tenantSettings.upsert({
        where: { tenantId },
        create: { tenantId, currencies, limits },
        update: { currencies, limits, updatedAt: new Date() },
      });
    },
  };
}

export type TenantSettingsStore = ReturnType<typeof createTenantSettingsStore>;

/** A tenant's limits in one currency (absent = unlimited). */
export async function tenantLimits(db: PrismaClient, tenantId: string, currency: string): Promise<Limits> {
  const settings = await db.tenantSettings.findUnique({ where: { tenantId } });
  return limitsIn(parseStoredLimits(settings?.limits), currency);
}
