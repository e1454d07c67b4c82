import DataLoader from 'dataloader';
import { assertCanAccess, requireIdentity, type Identity } from '@baas/auth';
import { forbidden, notFound } from '@baas/errors';
import type { IdentityDb } from '../data/create-prisma';

export type CustomerRow = { id: string; tenantId: string; kind: string; displayName: string; status: string; createdAt: Date };
export type TenantRow = { id: string; slug: string; name: string; sandbox: boolean };

/** Per-request loaders: every entity reference and lookup goes through one batched query. */
export function createIdentityLoaders(db: IdentityDb) {
  return {
    customer: new DataLoader<string, CustomerRow | null>(async (ids) => {
      const rows = await db.customer.findMany({ where: { id: { in: [...ids] } } });
      const byId = new Map(rows.map((r) => [r.id, r]));
      return ids.map((id) => byId.get(id) ?? null);
    }),
    tenant: new DataLoader<string, TenantRow | null>(async (ids) => {
      const rows = await db.tenant.findMany({ where: { id: { in: [...ids] } } });
      const byId = new Map(rows.map((r) => [r.id, r]));
      return ids.map((id) => byId.get(id) ?? null);
    }),
  };
}

export type IdentityLoaders = ReturnType<typeof createIdentityLoaders>;

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** A customer the caller may read; FORBIDDEN otherwise (also for ids that do not exist, so ids cannot be probed). */
export async function getVisibleCustomer(opts: { id: string; identity: Identity | null; loaders: IdentityLoaders }): Promise<CustomerRow> {
  const who = requireIdentity(opts.identity);
  const row = UUID.test(opts.id) ? await opts.loaders.customer.load(opts.id) : null;
  if (!row) {
    if (who.kind === 'operator' || who.kind === 'service') throw notFound('Customer');
    throw forbidden();
  }
  assertCanAccess(who, { tenantId: row.tenantId, customerId: row.id });
  return row;
}
