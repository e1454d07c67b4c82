import type { PrismaClient } from '../generated/prisma/client';
import { localDate, type Limits } from '../domain/limits';

/** The limits JSON of TenantSettings: per kind, per currency, minor units as decimal strings. */
export type StoredLimits = {
  perTransaction?: Record<string, string>;
  perDayCustomer?: Record<string, string>;
  perDayTenant?: Record<string, string>;
};

export const LIMIT_KINDS = ['perTransaction', 'perDayCustomer', 'perDayTenant'] as const;

const INTEGER = /^\d+$/;

/** Reads the stored JSON defensively: anything that is not an integer string is no limit. */
export function parseStoredLimits(value: unknown): StoredLimits {
  const out: StoredLimits = {};
  if (!value || typeof value !== 'object') return out;
  for (const kind of LIMIT_KINDS) {
    const byCurrency = (value as Record<string, unknown>)[kind];
    if (!byCurrency || typeof byCurrency !== 'object') continue;
    const entries = Object.entries(byCurrency as Record<string, unknown>).filter((e): e is [string, string] => typeof e[1] === 'string' && INTEGER.test(e[1]));
    out[kind] = Object.fromEntries(entries);
  }
  return out;
}

/** A tenant's limits in one currency (absent = unlimited). */
export async function tenantLimits(db: PrismaClient, tenantId: string, currency: string): Promise<Limits> {
  const settings = await db.tenantSettings.findUnique({ where: { tenantId } });
  const stored = parseStoredLimits(settings?.limits);
  const pick = (kind: (typeof LIMIT_KINDS)[number]) => {
    const v = stored[kind]?.[currency];
    return v === undefined ? null : BigInt(v);
  };
  return { perTransaction: pick('perTransaction'), perDayCustomer: pick('perDayCustomer'), perDayTenant: pick('perDayTenant') };
}

export const customerScope = (customerId: string) => `customer:${customerId}`;
export const tenantScope = (tenantId: string) => `tenant:${tenantId}`;

type SagaUsage = { id: string; tenantId: string; customerId: string; currency: string; amount: bigint };

/**
 * Reserves a saga's amount against the daily usage of its customer and its tenant, exactly once, in
 * one statement (the SQL function accounts.reserve_saga_usage, migration reserve_saga_usage): under
 * the saga's lease (`fence`, its attempts) the saga moves from step HOLD (or RISK) to LIMITS with
 * the usage day recorded and both counters grown by a conditional upsert that never passes a limit
 * under concurrency; when a counter refuses, no counter changes and the saga moves to step VOID
 * with failure_code LIMIT_EXCEEDED. Returns the saga's raw row as written (snake_case), or null when
 * the lease was lost or the saga is no longer at that step (nothing written). The per-transaction
 * limit is the caller's check, before this.
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
  const customerLimit = limits.perDayCustomer == null ? null : limits.perDayCustomer.toString();
  const tenantLimit = limits.perDayTenant == null ? null : limits.perDayTenant.toString();
  const rows = await db.$queryRaw<Record<string, unknown>[]>`
    SELECT * FROM accounts.reserve_saga_usage(${saga.id}::uuid, ${fence}::int, ${day}, ${leaseSeconds}::int, ${customerLimit}::bigint, ${tenantLimit}::bigint)`;
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

/** A tenant's stored account settings (currencies, limits), or null when it never set any. */
export function findTenantSettings(db: PrismaClient, tenantId: string) {
  return db.tenantSettings.findUnique({ where: { tenantId } });
}

/** Replaces a tenant's account settings (the whole set, as setTenantAccountSettings says). */
export async function saveTenantSettings(db: PrismaClient, tenantId: string, settings: { currencies: string[]; limits: StoredLimits }): Promise<void> {
  await db.tenantSettings.upsert({
    where: { tenantId },
    create: { tenantId, currencies: settings.currencies, limits: settings.limits },
    update: { currencies: settings.currencies, limits: settings.limits, updatedAt: new Date() },
  });
}
