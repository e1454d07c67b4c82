import { moneyField } from '@baas/money';
import type { Resolvers } from '../generated/resolvers-types';
import type { StoredLimits } from '../domain/limits';
import type { RiskFailMode } from '../domain/risk-fail-mode';
import { getTenantAccountSettings } from '../use-cases/get-tenant-account-settings';
import { setTenantAccountSettings } from '../use-cases/set-tenant-account-settings';

/** TenantAccountSettings as GraphQL shows it: limits as Money lists, sorted by currency. */
function settingsView({ tenantId, currencies, limits, riskFailMode, requireKycLevel }: { tenantId: string; currencies: string[]; limits: StoredLimits; riskFailMode: RiskFailMode; requireKycLevel: number }) {
  const list = (m: Record<string, string> | undefined) => Object.entries(m ?? {}).sort(([a], [b]) => a.localeCompare(b)).map(([c, v]) => moneyField(v, c));
  return { tenantId, currencies, perTransaction: list(limits.perTransaction), perDayCustomer: list(limits.perDayCustomer), perDayTenant: list(limits.perDayTenant), riskFailMode, requireKycLevel };
}

/** tenantAccountSettings, setTenantAccountSettings: a tenant's currencies, limits, risk fail mode and KYC requirement. */
export const settingsResolvers: Resolvers = {
  Query: {
    tenantAccountSettings: async (_, args, ctx) => settingsView(await getTenantAccountSettings(ctx, ctx.identity, { tenantId: args.tenantId })),
  },
  Mutation: {
    setTenantAccountSettings: async (_, args, ctx) => settingsView(await setTenantAccountSettings(ctx, ctx.identity, args.input)),
  },
};
