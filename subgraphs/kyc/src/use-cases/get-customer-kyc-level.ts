import { noKyc, type CustomerKycView, type GetCustomerKycDeps } from './get-customer-kyc';

/**
 * The internal query for other services (accounts: limits by level; internal services only, by the
 * rule tree): a customer's standing, NONE at level 0 when the customer never applied.
 */
export async function getCustomerKycLevel(deps: GetCustomerKycDeps, customerId: string): Promise<CustomerKycView> {
  const row = await deps.customers.load(customerId.toLowerCase());
  return row ? { customerId: row.customerId, tenantId: row.tenantId, level: row.level, status: row.status } : noKyc(customerId);
}
