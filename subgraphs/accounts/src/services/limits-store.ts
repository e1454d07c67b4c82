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

export type LimitName = 'PER_TRANSACTION' | 'PER_DAY_CUSTOMER' | 'PER_DAY_TENANT';
export type ReserveResult = { ok: true; day: string } | { ok: false; limit: LimitName };

type SagaUsage = { id: string; tenantId: string; customerId: string; currency: string; amount: bigint };

class Refused extends Error {
  constructor(readonly limit: LimitName) {
    super(limit);
  }
}

/**
 * Reserves a saga's amount against the daily usage of its customer and its tenant, exactly once: in
 * one transaction the saga moves from step RISK to LIMITS (recording the usage day) and both counters
 * grow with a conditional upsert (`INSERT ... ON CONFLICT DO UPDATE SET amount = amount + x WHERE
 * amount + x <= limit RETURNING`), so concurrent sagas never overshoot a limit; if either refuses,
 * nothing commits. The per-transaction limit is checked first. `fence` is the saga's lease token
 * (attempts): a worker that lost its lease changes nothing and gets null (as when the saga is no
 * longer at step RISK).
 */
export async function reserveUsage(db: PrismaClient, saga: SagaUsage, limits: Limits, fence: number, now = new Date()): Promise<ReserveResult | null> {
  if (limits.perTransaction != null && saga.amount > limits.perTransaction) return { ok: false, limit: 'PER_TRANSACTION' };
  const day = localDate(now);
  try {
    return await db.$transaction(async (tx) => {
      const moved = await tx.$executeRaw`
        UPDATE accounts.transfer_saga SET step = 'LIMITS', usage_day = ${day}, updated_at = now()
        WHERE id = ${saga.id}::uuid AND state = 'HELD' AND step = 'RISK' AND attempts = ${fence}`;
      if (moved === 0) return null;
      const scopes: [string, bigint | null, LimitName][] = [
        [customerScope(saga.customerId), limits.perDayCustomer ?? null, 'PER_DAY_CUSTOMER'],
        [tenantScope(saga.tenantId), limits.perDayTenant ?? null, 'PER_DAY_TENANT'],
      ];
      for (const [scope, limit, name] of scopes) {
        const limitText = limit === null ? null : limit.toString();
        const rows = await tx.$queryRaw<{ amount: bigint }[]>`
          INSERT INTO accounts.daily_usage (scope, currency, day, amount)
          SELECT ${scope}, ${saga.currency}, ${day}, ${saga.amount}::bigint
          WHERE ${limitText}::bigint IS NULL OR ${saga.amount}::bigint <= ${limitText}::bigint
          ON CONFLICT (scope, currency, day) DO UPDATE SET amount = accounts.daily_usage.amount + EXCLUDED.amount
          WHERE ${limitText}::bigint IS NULL OR accounts.daily_usage.amount + EXCLUDED.amount <= ${limitText}::bigint
          RETURNING amount`;
        if (rows.length === 0) throw new Refused(name);
      }
      return { ok: true as const, day };
    });
  } catch (error) {
    if (error instanceof Refused) return { ok: false, limit: error.limit };
    throw error;
  }
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
