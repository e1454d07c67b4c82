import type { Identity } from '@baas/auth';
import { badInput, DomainError } from '@baas/errors';
import { createOrReplay, isUniqueViolation, legacyRequestHash, requestFingerprint } from '@baas/idempotency';
import { isUuid } from '@baas/server';
import { requireOperator } from '../permissions';
import type { TenantRow } from '../store/tenant-store';
import type { IdentityDeps } from './deps';

/** Slugs: lower-case letters, digits and single hyphens, 3 to 63 characters (a DNS label). */
const SLUG = /^[a-z0-9](?:[a-z0-9]|-(?=[a-z0-9])){2,62}$/;

/**
 * Creates a tenant (operators), idempotently by `id`: the same request again is REPLAYED, another
 * request under the same id IDEMPOTENCY_KEY_REUSED. The slug is unique (CONFLICT, reason
 * SLUG_TAKEN). A tenant starts ACTIVE and in sandbox mode unless `sandbox: false` is asked for.
 */
export async function createTenant(
  deps: Pick<IdentityDeps, 'stores'>,
  identity: Identity | null,
  input: { id: string; slug: string; name: string; sandbox?: boolean | null },
): Promise<{ tenant: TenantRow; status: 'CREATED' | 'REPLAYED' }> {
  requireOperator(identity);
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
      storedHash: (row: TenantRow) => row.requestHash,
      // Operators create tenants: the key belongs to no tenant.
      scope: 'global',
      find: () => deps.stores.tenants.find(id),
      insert: () => deps.stores.tenants.insert({ id, slug, name, sandbox, requestHash: hash }),
    });
    return { tenant: row, status };
  } catch (error) {
    // A unique value other than the id was taken.
    if (isUniqueViolation(error)) throw new DomainError('CONFLICT', 'This slug is taken.', { field: 'slug', reason: 'SLUG_TAKEN' });
    throw error;
  }
}
