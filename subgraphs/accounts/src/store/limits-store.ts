import type { PrismaClient } from '../generated/prisma/client';
import { assertLimitInput, localDate, type LimitCheckInput, type LimitCheckResult, type LimitKind, type LimitRefusal, type Limits, type LimitUsage } from '../domain/limits';

/**
 * Daily usage against the tenants' limits (accounts.daily_usage), and the limits rule, which lives in
 * PostgreSQL (accounts.fits_limit, migration limit_rule): the atomic daily reservation of a saga and
 * the read-only check both ask it, so the two can never disagree.
 */

export const customerScope = (customerId: string) => `customer:${customerId}`;
export const tenantScope = (tenantId: string) => `tenant:${tenantId}`;

type CheckRow = { kind: LimitKind; limit_amount: bigint; used: bigint; remaining: bigint; exceeded: boolean | null; binding: boolean };

const nullable = (v: bigint | null | undefined) => (v == null ? null : v.toString());

async function limitRows(db: PrismaClient, input: Omit<LimitCheckInput, 'amount'> & { amount: bigint | null }): Promise<CheckRow[]> {
  const { limits, usedToday } = input;
  return db.$queryRaw<CheckRow[]>`
    SELECT * FROM accounts.check_limits(${nullable(input.amount)}::numeric, ${usedToday.customer.toString()}::bigint, ${usedToday.tenant.toString()}::bigint,
      ${nullable(limits.perTransaction)}::bigint, ${nullable(limits.perDayCustomer)}::bigint, ${nullable(limits.perDayTenant)}::bigint)`;
}

/** Allows `amount` only if it fits every configured limit (accounts.check_limits); otherwise names the tightest limit exceeded. */
export async function checkLimits(db: PrismaClient, input: LimitCheckInput): Promise<LimitCheckResult> {
  assertLimitInput(input);
  const rows = await limitRows(db, input);
  const binding = rows.find((r) => r.binding);
  if (!binding) return { ok: true };
  const refusal: LimitRefusal = Object.freeze({
    limit: binding.kind,
    currency: input.currency,
    limitAmount: binding.limit_amount,
    used: binding.used,
    remaining: binding.remaining,
    requested: input.amount,
    exceeded: Object.freeze(rows.filter((r) => r.exceeded).map((r) => r.kind)),
  });
  return { ok: false, refusal };
}

/**
 * The largest single amount the limits allow right now (the smallest remaining headroom), or null when no limit
 * is configured. checkLimits accepts an amount exactly when it is at most this.
 */
export async function availableAmount(db: PrismaClient, input: Omit<LimitCheckInput, 'amount'>): Promise<bigint | null> {
  assertLimitInput(input);
  const rows = await limitRows(db, { ...input, amount: null });
  return rows.reduce<bigint | null>((least, r) => (least === null || r.remaining < least ? r.remaining : least), null);
}

/** What a customer and its tenant already moved today in `currency` (the counters the reservations grow). */
export async function usedToday(db: PrismaClient, owner: { tenantId: string; customerId: string }, currency: string, day: string): Promise<LimitUsage> {
  const rows = await db.dailyUsage.findMany({ where: { currency, day, scope: { in: [customerScope(owner.customerId), tenantScope(owner.tenantId)] } } });
  const used = (scope: string) => rows.find((r) => r.scope === scope)?.amount ?? 0n;
  return { customer: used(customerScope(owner.customerId)), tenant: used(tenantScope(owner.tenantId)) };
}

/**
 * Read only: would `amount` fit the tenant's limits now (per transaction and what is left of today
 * for the customer and the tenant)? `limits` are the tenant's in that currency (tenant-settings-store).
 */
export async function checkUsageLimits(
  db: PrismaClient,
  outflow: { tenantId: string; customerId: string; currency: string; amount: bigint },
  limits: Limits,
  now = new Date(),
): Promise<LimitCheckResult> {
  if (limits.perTransaction == null && limits.perDayCustomer == null && limits.perDayTenant == null) return { ok: true };
  const used = await usedToday(db, outflow, outflow.currency, localDate(now));
  return checkLimits(db, { amount: outflow.amount, currency: outflow.currency, usedToday: used, limits });
}
