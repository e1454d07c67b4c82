import { requireIdentity, type Identity } from '@baas/auth';
import { badInput, forbidden } from '@baas/errors';
import { isCurrencyCode } from '@baas/money';
import type { Resolvers, TenantAccountSettingsInput } from '../generated/resolvers-types';
import type { PrismaClient } from '../generated/prisma/client';
import type { AccountsConfig } from '../config';
import type { IdentityDirectory } from '../clients/identity';
import { findTenantSettings, LIMIT_KINDS, parseStoredLimits, saveTenantSettings, type StoredLimits } from '../services/limits-store';
import { parseAmount } from '../services/transfer-saga';
import { money } from './money';

type SettingsView = {
  tenantId: string;
  currencies: string[];
  perTransaction: { minorUnits: string; currency: string }[];
  perDayCustomer: { minorUnits: string; currency: string }[];
  perDayTenant: { minorUnits: string; currency: string }[];
};

function settingsView(tenantId: string, currencies: string[], limits: StoredLimits): SettingsView {
  const list = (m: Record<string, string> | undefined) => Object.entries(m ?? {}).sort(([a], [b]) => a.localeCompare(b)).map(([c, v]) => money(v, c));
  return { tenantId, currencies, perTransaction: list(limits.perTransaction), perDayCustomer: list(limits.perDayCustomer), perDayTenant: list(limits.perDayTenant) };
}

async function readSettings(db: PrismaClient, config: AccountsConfig, tenantId: string): Promise<SettingsView> {
  const row = await findTenantSettings(db, tenantId);
  const currencies = row?.currencies ?? config.DEFAULT_CURRENCIES.split(',').map((c) => c.trim().toUpperCase()).filter(Boolean);
  return settingsView(tenantId, currencies, parseStoredLimits(row?.limits));
}

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
      entries[currency] = parseAmount(item.amount, kind).toString();
    }
    limits[kind] = entries;
  }
  return { currencies, limits };
}

/**
 * The tenant whose settings the caller names: operators (and internal services) name any tenant,
 * which identity must know (unknown or malformed: NOT_FOUND, nothing read or written); a tenant's
 * client reads its own (its tenant came from its token, not from the argument).
 */
async function settingsTenant(directory: IdentityDirectory, who: Identity, tenantId: string | null | undefined): Promise<string> {
  if (who.kind === 'operator' || who.kind === 'service') {
    if (!tenantId) throw badInput('tenantId is required.', { field: 'tenantId' });
    return (await directory.requireKnownTenant(tenantId)).tenantId;
  }
  if (who.kind === 'api_client' && who.tenantId && (!tenantId || tenantId.toLowerCase() === who.tenantId)) return who.tenantId;
  throw forbidden();
}

/** tenantAccountSettings, setTenantAccountSettings: a tenant's currencies and limits. */
export const settingsResolvers: Resolvers = {
  Query: {
    tenantAccountSettings: async (_, args, ctx) => readSettings(ctx.db, ctx.config, await settingsTenant(ctx.directory, requireIdentity(ctx.identity), args.tenantId)),
  },
  Mutation: {
    setTenantAccountSettings: async (_, args, ctx) => {
      const who = requireIdentity(ctx.identity);
      if (who.kind !== 'operator') throw forbidden();
      const v = validateSettings(args.input);
      const tenantId = await settingsTenant(ctx.directory, who, args.input.tenantId);
      await saveTenantSettings(ctx.db, tenantId, v);
      return settingsView(tenantId, v.currencies, v.limits);
    },
  },
};
