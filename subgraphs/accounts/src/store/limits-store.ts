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

type SagaUsage = { id: string; tenantId: string; customerId: string; currency: string; amount: bigint };

/**
 * Reserves a saga's amount against the daily usage of its customer and its tenant, exactly once, in
 * one statement (the SQL function accounts.reserve_saga_usage): under the saga's lease (`fence`, its
 * attempts) the saga moves from step HOLD (or RISK) to LIMITS with the usage day recorded and both
 * counters grown by a conditional upsert that never passes a limit under concurrency; when a counter
 * refuses, no counter changes and the saga moves to step VOID with failure_code LIMIT_EXCEEDED (an
 * FX execution: FAILED); the per-transaction limit is asked in the same statement, by the same rule.
 * Returns the saga's raw row as written (snake_case), or null when the lease was lost or the saga is
 * no longer at that step (nothing written).
 */
export async function reserveUsage(
  db: PrismaClient,
  saga: { id: string },
  limits: Limits,
  fence: number,
  leaseSeconds: number,
  now = new Date(),
): Promise<Record<string, unknown> | null> {
  const day = localDate(now);
  const rows = await db.$queryRaw<Record<string, unknown>[]>`
    SELECT * FROM accounts.reserve_saga_usage(${saga.id}::uuid, ${fence}::int, ${day}, ${leaseSeconds}::int, ${nullable(limits.perDayCustomer)}::bigint, ${nullable(limits.perDayTenant)}::bigint, ${nullable(limits.perTransaction)}::bigint)`;
  return rows[0] ?? null;
}

/**
 * Gives a saga's reservation back, exactly once: clears the saga's usage_day and decrements both
 * counters in one transaction (a no-op when nothing is reserved).
 */
export async function releaseUsage(db: PrismaClient, saga: SagaUsage): Promise<void> {
  await db.$transaction(async (tx) => {
    const locked = await tx.$queryRaw<{ usage_day: string | null }[]>`
      SELECT usage_day FROM accounts.transfer_saga WHERE id = ${saga.id}::uuid FOR UPDATE`;
    const day = locked[0]?.usage_day;
    if (!day) return;
    await tx.$executeRaw`UPDATE accounts.transfer_saga SET usage_day = NULL, updated_at = now() WHERE id = ${saga.id}::uuid`;
    for (const scope of [customerScope(saga.customerId), tenantScope(saga.tenantId)]) {
      await tx.$executeRaw`
        UPDATE accounts.daily_usage SET amount = GREATEST(amount - ${saga.amount}::bigint, 0)
        WHERE scope = ${scope} AND currency = ${saga.currency} AND day = ${day}`;
    }
  });
}
