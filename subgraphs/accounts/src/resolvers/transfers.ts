import { missingRecord, requireIdentity, type Identity } from '@baas/auth';
import { badInput, forbidden } from '@baas/errors';
import { isCurrencyCode } from '@baas/money';
import { isUuid } from '@baas/server';
import type { Resolvers, TenantAccountSettingsInput } from '../generated/resolvers-types';
import type { PrismaClient } from '../generated/prisma/client';
import type { AccountsConfig } from '../config';
import { LIMIT_KINDS, parseStoredLimits, type StoredLimits } from '../services/limits-store';
import { fundSandboxAccount, parseAmount, startTransfer } from '../services/transfer-saga';
import type { AccountsContext } from './index';
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
  const row = await db.tenantSettings.findUnique({ where: { tenantId } });
  const currencies = row?.currencies ?? config.DEFAULT_CURRENCIES.split(',').map((c) => c.trim().toUpperCase()).filter(Boolean);
  return settingsView(tenantId, currencies, parseStoredLimits(row?.limits));
}

function validateSettings(input: TenantAccountSettingsInput): { tenantId: string; currencies: string[]; limits: StoredLimits } {
  if (!isUuid(input.tenantId)) throw badInput('tenantId must be a UUID.', { field: 'tenantId' });
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
  return { tenantId: input.tenantId.toLowerCase(), currencies, limits };
}

function settingsTenant(who: Identity, tenantId: string | null | undefined): string {
  if (who.kind === 'operator' || who.kind === 'service') {
    if (!tenantId || !isUuid(tenantId)) throw badInput('tenantId is required.', { field: 'tenantId' });
    return tenantId.toLowerCase();
  }
  if (who.kind === 'api_client' && who.tenantId && (!tenantId || tenantId.toLowerCase() === who.tenantId)) return who.tenantId;
  throw forbidden();
}

const STATUS = { PENDING: 'PENDING', HELD: 'HELD', POSTED: 'POSTED', VOIDED: 'VOIDED', FAILED: 'FAILED' } as const;

/**
 * transfer, accountTransfer, fundSandboxAccount, tenantAccountSettings, setTenantAccountSettings, AccountTransfer.
 *
 * Errors vs outcomes: a refusal that depends on money or state (INSUFFICIENT_FUNDS, LIMIT_EXCEEDED,
 * ACCOUNT_FROZEN, ACCOUNT_CLOSED, RISK_DECLINED, ...) is a business outcome of the saga, stored with it
 * and returned as an AccountTransfer with status FAILED (nothing was held) or VOIDED (the hold was
 * released) and its failureCode, so a repeat with the same id returns the same answer. Requests that
 * can never be right (bad input, CURRENCY_MISMATCH, IDEMPOTENCY_KEY_REUSED) and authorisation
 * problems (FORBIDDEN, STEP_UP_REQUIRED) are GraphQL errors and store nothing.
 */
export const transferResolvers: Resolvers = {
  Query: {
    accountTransfer: async (_, args, ctx) => {
      const who = requireIdentity(ctx.identity);
      const row = isUuid(args.id) ? await ctx.db.transferSaga.findUnique({ where: { id: args.id.toLowerCase() } }) : null;
      if (!row) throw missingRecord(who, 'AccountTransfer');
      const visible = who.kind === 'operator' || who.kind === 'service' || (who.kind === 'api_client' && who.tenantId === row.tenantId) || (who.kind === 'customer' && who.tenantId === row.tenantId && who.subject === row.customerId);
      if (!visible) throw forbidden();
      return row;
    },
    tenantAccountSettings: (_, args, ctx) => readSettings(ctx.db, ctx.config, settingsTenant(requireIdentity(ctx.identity), args.tenantId)),
  },
  Mutation: {
    transfer: (_, args, ctx) => startTransfer(ctx.runtime, ctx.identity, args.input, { waitMs: args.waitMs ?? null }),
    fundSandboxAccount: (_, args, ctx) => fundSandboxAccount(ctx.runtime, ctx.identity, args.input),
    setTenantAccountSettings: async (_, args, ctx) => {
      const who = requireIdentity(ctx.identity);
      if (who.kind !== 'operator') throw forbidden();
      const v = validateSettings(args.input);
      await ctx.db.tenantSettings.upsert({
        where: { tenantId: v.tenantId },
        create: { tenantId: v.tenantId, currencies: v.currencies, limits: v.limits },
        update: { currencies: v.currencies, limits: v.limits, updatedAt: new Date() },
      });
      return settingsView(v.tenantId, v.currencies, v.limits);
    },
  },
  AccountTransfer: {
    // The parent transfer was authorised; the accounts' own fields are guarded by the Account rules.
    // FUNDING has no debited account: null here, but the SDL still says `fromAccount: Account!` (to be made nullable).
    fromAccount: async (t, _, ctx: AccountsContext) => ((t.fromAccountId ? await ctx.loaders.account.load(t.fromAccountId) : null) as never),
    toAccount: async (t, _, ctx) => {
      const row = await ctx.loaders.account.load(t.toAccountId);
      if (!row) throw new Error(`account ${t.toAccountId} of transfer ${t.id} is missing`);
      return row;
    },
    amount: (t) => money(t.amount, t.currency),
    status: (t) => STATUS[t.state as keyof typeof STATUS] ?? 'PENDING',
    createdAt: (t) => t.createdAt.toISOString(),
    failureCode: (t) => t.failureCode,
    description: (t) => t.description,
  },
};
