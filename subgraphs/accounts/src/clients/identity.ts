import { createIdentityDirectory, type IdentityDirectory } from '@baas/server';
import type { AccountsConfig } from '../config';

export type { CustomerStanding, IdentityDirectory, TenantStanding } from '@baas/server';

/**
 * Accounts' view of identity: who its customers and tenants are (the identity ↔ accounts contract,
 * identity's internal `customerStanding` / `tenantStanding`), asked as the internal service
 * `accounts` at IDENTITY_URL, found answers remembered IDENTITY_CACHE_MS.
 */
export function createAccountsIdentityDirectory(config: Pick<AccountsConfig, 'IDENTITY_URL' | 'INTERNAL_IDENTITY_SECRET' | 'IDENTITY_CACHE_MS'>): IdentityDirectory {
  return createIdentityDirectory({ caller: 'accounts', url: config.IDENTITY_URL, secret: config.INTERNAL_IDENTITY_SECRET, cacheMs: config.IDENTITY_CACHE_MS });
}
