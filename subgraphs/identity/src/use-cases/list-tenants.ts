import type { Identity } from '@baas/auth';
import { badInput } from '@baas/errors';
import { isUuid } from '@baas/server';
import { requireOperator } from '../permissions';
import type { TenantRow } from '../store/tenant-store';
import type { IdentityDeps } from './deps';

/** Tenants in creation order (ids are time-ordered UUIDs), `first` (1..100, default 50) after the cursor (a tenant id). Operators only. */
export async function listTenants(
  deps: Pick<IdentityDeps, 'stores'>,
  identity: Identity | null,
  args: { first?: number | null; after?: string | null },
): Promise<{ tenants: TenantRow[]; endCursor: string | null; hasNextPage: boolean }> {
  requireOperator(identity);
  const first = args.first ?? 50;
  if (!Number.isInteger(first) || first < 1 || first > 100) throw badInput('first must be between 1 and 100.', { field: 'first', limit: 100 });
  if (args.after != null && !isUuid(args.after)) throw badInput('after is not a cursor of this list.', { field: 'after' });
  const rows = await deps.stores.tenants.page(args.after ? args.after.toLowerCase() : null, first + 1);
  const page = rows.slice(0, first);
  return { tenants: page, endCursor: page.at(-1)?.id ?? null, hasNextPage: rows.length > first };
}
