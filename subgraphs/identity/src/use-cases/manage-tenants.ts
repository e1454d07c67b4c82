import { badInput, DomainError } from '@baas/errors';
import { createOrReplay, isUniqueViolation, legacyRequestHash, requestFingerprint } from '@baas/idempotency';
import { isUuid } from '@baas/server';
import type { PrismaClient } from '../generated/prisma/client';
import { checkTenant, tenantIdOf } from '../domain/tenant-rules';

export type TenantRecord = Awaited<ReturnType<PrismaClient['tenant']['findUniqueOrThrow']>>;

/** Slugs: lower-case letters, digits and single hyphens, 3 to 63 characters (a DNS label). */
const SLUG = /^[a-z0-9](?:[a-z0-9]|-(?=[a-z0-9])){2,62}$/;

/**
 * Creates a tenant (operators), idempotently by `id`: the same request again is REPLAYED, another
 * request under the same id IDEMPOTENCY_KEY_REUSED. The slug is unique (CONFLICT, reason
 * SLUG_TAKEN). A tenant starts ACTIVE and in sandbox mode unless `sandbox: false` is asked for.
 */
export async function createTenant(db: PrismaClient, input: { id: string; slug: string; name: string; sandbox?: boolean | null }): Promise<{ tenant: TenantRecord; status: 'CREATED' | 'REPLAYED' }> {
  if (typeof input.id !== 'string' || !isUuid(input.id)) throw badInput('id must be a UUID.', { field: 'id' });
  const slug = typeof input.slug === 'string' ? input.slug.trim().toLowerCase() : '';
  if (!SLUG.test(slug)) throw badInput('slug must be 3 to 63 lower-case letters, digits or hyphens.', { field: 'slug' });
  const name = typeof input.name === 'string' ? input.name.trim() : '';
  if (!name || name.length > 120) throw badInput('name must be 1 to 120 characters.', { field: 'name' });
  const id = input.id.toLowerCase();
  const sandbox = input.sandbox ?? true;
  const hash = requestFingerprint('tenant/v1', { slug, name, sandbox });
  try {
    const { row, status } = await createOrReplay({
      hash,
      // Rows written before @baas/idempotency.
      acceptedHashes: [legacyRequestHash(['tenant/v1', slug, name, sandbox])],
      storedHash: (row: TenantRecord) => row.requestHash,
      // Operators create tenants: the key belongs to no tenant.
      scope: 'global',
      find: () => db.tenant.findUnique({ where: { id } }),
      insert: () => db.tenant.create({ data: { id, slug, name, sandbox, requestHash: hash } }),
    });
    return { tenant: row, status };
  } catch (error) {
    // A unique value other than the id was taken.
    if (isUniqueViolation(error)) throw new DomainError('CONFLICT', 'This slug is taken.', { field: 'slug', reason: 'SLUG_TAKEN' });
    throw error;
  }
}

/** Tenants in creation order (ids are time-ordered UUIDs), `first` (1..100, default 50) after the cursor (a tenant id). */
export async function listTenants(db: PrismaClient, args: { first?: number | null; after?: string | null }) {
  const first = args.first ?? 50;
  if (!Number.isInteger(first) || first < 1 || first > 100) throw badInput('first must be between 1 and 100.', { field: 'first', limit: 100 });
  if (args.after != null && !isUuid(args.after)) throw badInput('after is not a cursor of this list.', { field: 'after' });
  const rows = await db.tenant.findMany({
    where: args.after ? { id: { gt: args.after.toLowerCase() } } : {},
    orderBy: { id: 'asc' },
    take: first + 1,
  });
  const page = rows.slice(0, first);
  return { tenants: page, endCursor: page.at(-1)?.id ?? null, hasNextPage: rows.length > first };
}

/**
 * Sandbox to live, the only direction: a tenant goes live only while it has no customers, because
 * play money (sandbox funding) must never become real money; live to sandbox never happens (real
 * customers' money must never become play money). Repeating it on a live tenant is harmless.
 * CONFLICT, reason TENANT_HAS_CUSTOMERS, otherwise.
 */
export async function switchTenantToLive(db: PrismaClient, tenantId: unknown): Promise<TenantRecord> {
  const id = tenantIdOf(tenantId);
  return db.$transaction(async (tx) => {
    // Lock the tenant row: a customer created meanwhile (createCustomer locks it too) waits for this.
    const locked = await tx.$queryRaw<{ id: string }[]>`SELECT id::text AS id FROM identity.tenant WHERE id = ${id}::uuid FOR UPDATE`;
    const tenant = checkTenant(locked[0] ? await tx.tenant.findUnique({ where: { id } }) : null, { active: false });
    if (!tenant.sandbox) return tenant;
    if ((await tx.customer.count({ where: { tenantId: id } })) > 0) {
      throw new DomainError('CONFLICT', 'A tenant with customers cannot go live: its sandbox money must never become real money.', { reason: 'TENANT_HAS_CUSTOMERS' });
    }
    return tx.tenant.update({ where: { id }, data: { sandbox: false } });
  });
}

/**
 * Suspends or reactivates a tenant (operators). A SUSPENDED tenant's principals get no new tokens
 * (client credentials, sign-in, refresh: TENANT_SUSPENDED) and other subgraphs refuse to act for it
 * (tenantStanding). Repeating it is harmless.
 */
export async function setTenantStatus(db: PrismaClient, tenantId: unknown, status: 'ACTIVE' | 'SUSPENDED'): Promise<TenantRecord> {
  const id = tenantIdOf(tenantId);
  const tenant = checkTenant(await db.tenant.findUnique({ where: { id } }), { active: false });
  if (tenant.status === status) return tenant;
  return db.tenant.update({ where: { id }, data: { status } });
}
