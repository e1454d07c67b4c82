import { canAccess, type Identity } from '@baas/auth';

/** Who may read a ledger account: its customer, its tenant's API clients, operators and services. */
export function canSeeAccount(identity: Identity | null, account: { tenantId: string | null; customerId: string | null }): boolean {
  if (!identity) return false;
  return canAccess(identity, { tenantId: account.tenantId ?? '', customerId: account.customerId ?? undefined });
}
