import type { Identity } from '@baas/auth';
import { forbidden } from '@baas/errors';
import { customerKycReach } from '../permissions';
import type { CustomerKycRow } from '../store/customer-kyc-store';

export type CustomerKycView = { customerId: string; tenantId: string | null; level: number; status: string };
export type GetCustomerKycDeps = { customers: { load(customerId: string): Promise<CustomerKycRow | null> } };

export const noKyc = (customerId: string): CustomerKycView => ({ customerId, tenantId: null, level: 0, status: 'NONE' });

/**
 * A customer's KYC standing (Customer.kyc): level and latest status, NONE at level 0 when the
 * customer never applied. The platform reads any; a customer their own; a tenant's client its
 * tenant's customers (identity says whether a customer who never applied is its tenant's).
 * FORBIDDEN otherwise, whether or not the customer exists or applied.
 */
export async function getCustomerKyc(deps: GetCustomerKycDeps & { customerInTenant: (tenantId: string, customerId: string) => Promise<boolean> }, who: Identity, customerId: string): Promise<CustomerKycView> {
  const reach = customerKycReach(who, customerId);
  if (reach === 'NONE') throw forbidden();
  const row = await deps.customers.load(customerId.toLowerCase());
  if (reach === 'TENANT') {
    const inTenant = row ? row.tenantId === who.tenantId : await deps.customerInTenant(who.tenantId!, customerId.toLowerCase());
    if (!inTenant) throw forbidden();
  }
  return row ? { customerId: row.customerId, tenantId: row.tenantId, level: row.level, status: row.status } : noKyc(customerId);
}
