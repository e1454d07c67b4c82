import type { Identity } from '@baas/auth';
import { maySeeCustomerKyc } from '../permissions';
import type { CustomerKycRow } from '../store/customer-kyc-store';

export type CustomerKycView = { customerId: string; tenantId: string | null; level: number; status: string };
export type GetCustomerKycDeps = { customers: { load(customerId: string): Promise<CustomerKycRow | null> } };

export const noKyc = (customerId: string): CustomerKycView => ({ customerId, tenantId: null, level: 0, status: 'NONE' });

/**
 * A customer's KYC standing (Customer.kyc): level and latest status; NONE at level 0 when the
 * customer never applied, or when the caller may not see it (nothing is told about others' customers).
 */
export async function getCustomerKyc(deps: GetCustomerKycDeps, who: Identity, customerId: string): Promise<CustomerKycView> {
  const row = await deps.customers.load(customerId.toLowerCase());
  if (!row || !maySeeCustomerKyc(who, row)) return noKyc(customerId);
  return { customerId: row.customerId, tenantId: row.tenantId, level: row.level, status: row.status };
}

