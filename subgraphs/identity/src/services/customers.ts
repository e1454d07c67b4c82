import { assertCanAccess, missingRecord, requireIdentity, type Identity } from '@baas/auth';
import { createByIdLoader, isUuid } from '@baas/server';
import type { PrismaClient as IdentityDb } from '../generated/prisma/client';

export type CustomerRow = {
  id: string;
  tenantId: string;
  kind: string;
  displayName: string;
  status: string;
  createdAt: Date;
  taxIdKind?: string | null;
  taxIdSealed?: string | null;
  emailSealed?: string | null;
  phoneSealed?: string | null;
};
export type TenantRow = { id: string; slug: string; name: string; sandbox: boolean; status: string; stepUpPolicy: unknown; createdAt?: Date };

/** Per-request loaders: every entity reference and lookup goes through one batched query. */
export function createIdentityLoaders(db: IdentityDb) {
  return {
    customer: createByIdLoader<string, CustomerRow>((ids) => db.customer.findMany({ where: { id: { in: ids } } })),
    tenant: createByIdLoader<string, TenantRow>((ids) => db.tenant.findMany({ where: { id: { in: ids } } })),
  };
}

export type IdentityLoaders = ReturnType<typeof createIdentityLoaders>;

/** A customer the caller may read; FORBIDDEN otherwise (also for ids that do not exist, so ids cannot be probed). */
export async function getVisibleCustomer(opts: { id: string; identity: Identity | null; loaders: IdentityLoaders }): Promise<CustomerRow> {
  const who = requireIdentity(opts.identity);
  const row = isUuid(opts.id) ? await opts.loaders.customer.load(opts.id) : null;
  if (!row) throw missingRecord(who, 'Customer');
  assertCanAccess(who, { tenantId: row.tenantId, customerId: row.id });
  return row;
}
