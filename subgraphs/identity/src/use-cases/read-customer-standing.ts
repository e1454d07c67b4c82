import type { Identity } from '@baas/auth';
import { isUuid } from '@baas/server';
import { customerStatusOf, tenantStatusOf, type CustomerStanding } from '../domain/standing';
import type { IdentityDeps } from './deps';

/**
 * What another service needs to know before acting for a customer (the contract with accounts and
 * every subgraph to come; permissions: internal services only): null when no such customer exists
 * in that tenant, or an id is malformed.
 */
export async function readCustomerStanding(
  deps: Pick<IdentityDeps, 'stores'>,
  _identity: Identity | null,
  args: { tenantId: string; customerId: string },
): Promise<CustomerStanding | null> {
  if (!isUuid(args.tenantId) || !isUuid(args.customerId)) return null;
  const row = await deps.stores.customers.findWithTenant(args.tenantId.toLowerCase(), args.customerId.toLowerCase());
  if (!row) return null;
  return { customerId: row.id, tenantId: row.tenantId, customerStatus: customerStatusOf(row.status), tenantStatus: tenantStatusOf(row.tenant.status), tenantSandbox: row.tenant.sandbox };
}
