/** ACTIVE or SUSPENDED (anything else stored is read as SUSPENDED: fail closed). */
export type TenantStatus = 'ACTIVE' | 'SUSPENDED';
export type CustomerStatus = 'ACTIVE' | 'SUSPENDED' | 'CLOSED';

export type CustomerStanding = { customerId: string; tenantId: string; customerStatus: CustomerStatus; tenantStatus: TenantStatus; tenantSandbox: boolean };
export type TenantStanding = { tenantId: string; status: TenantStatus; sandbox: boolean };

export const tenantStatusOf = (value: string): TenantStatus => (value === 'ACTIVE' ? 'ACTIVE' : 'SUSPENDED');
/** The stored customer status as the API's enum (BLOCKED, an older name, is SUSPENDED; anything unknown too). */
export const customerStatusOf = (value: string): CustomerStatus => (value === 'ACTIVE' || value === 'CLOSED' ? value : 'SUSPENDED');
