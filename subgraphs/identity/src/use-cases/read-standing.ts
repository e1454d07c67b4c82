import { isUuid } from '@baas/server';
import type { PrismaClient } from '../generated/prisma/client';

/** ACTIVE or SUSPENDED (anything else stored is read as SUSPENDED: fail closed). */
export type TenantStatus = 'ACTIVE' | 'SUSPENDED';
export type CustomerStatus = 'ACTIVE' | 'SUSPENDED' | 'CLOSED';

export type CustomerStanding = { customerId: string; tenantId: string; customerStatus: CustomerStatus; tenantStatus: TenantStatus; tenantSandbox: boolean };
export type TenantStanding = { tenantId: string; status: TenantStatus; sandbox: boolean };

export const tenantStatusOf = (value: string): TenantStatus => (value === 'ACTIVE' ? 'ACTIVE' : 'SUSPENDED');
/** The stored customer status as the API's enum (BLOCKED, an older name, is SUSPENDED; anything unknown too). */
export const customerStatusOf = (value: string): CustomerStatus => (value === 'ACTIVE' || value === 'CLOSED' ? value : 'SUSPENDED');

/**
 * What another service needs to know before acting for a customer (the contract with accounts and
 * every subgraph to come): null when no such customer exists in that tenant, or an id is malformed.
 */
export async function readCustomerStanding(db: PrismaClient, tenantId: string, customerId: string): Promise<CustomerStanding | null> {
  if (!isUuid(tenantId) || !isUuid(customerId)) return null;
  const row = await db.customer.findFirst({
    where: { id: customerId.toLowerCase(), tenantId: tenantId.toLowerCase() },
    select: { id: true, tenantId: true, status: true, tenant: { select: { status: true, sandbox: true } } },
  });
  if (!row) return null;
  return { customerId: row.id, tenantId: row.tenantId, customerStatus: customerStatusOf(row.status), tenantStatus: tenantStatusOf(row.tenant.status), tenantSandbox: row.tenant.sandbox };
}

/** A tenant's status and mode; null when no such tenant exists, or the id is malformed. */
export async function readTenantStanding(db: PrismaClient, tenantId: string): Promise<TenantStanding | null> {
  if (!isUuid(tenantId)) return null;
  const row = await db.tenant.findUnique({ where: { id: tenantId.toLowerCase() }, select: { id: true, status: true, sandbox: true } });
  return row ? { tenantId: row.id, status: tenantStatusOf(row.status), sandbox: row.sandbox } : null;
}
