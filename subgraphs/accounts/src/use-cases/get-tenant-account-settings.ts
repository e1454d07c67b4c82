import { requireIdentity, type Identity } from '@baas/auth';
import type { IdentityDirectory } from '../clients/identity';
import { settingsTenant } from '../permissions';
import type { TenantSettings, TenantSettingsStore } from '../store/tenant-settings-store';

export type TenantAccountSettingsDeps = {
  tenantSettings: Pick<TenantSettingsStore, 'find'>;
  directory: Pick<IdentityDirectory, 'requireKnownTenant'>;
};

/**
 * The tenant a settings call addresses (settingsTenant): a tenant named by an operator or service
 * must be known to identity (unknown or malformed: NOT_FOUND, nothing read or written).
 */
export async function resolveSettingsTenant(deps: Pick<TenantAccountSettingsDeps, 'directory'>, identity: Identity, named: string | null | undefined): Promise<string> {
  const target = settingsTenant(identity, named);
  return 'own' in target ? target.own : (await deps.directory.requireKnownTenant(target.named)).tenantId;
}

/** tenantAccountSettings: a tenant's currencies and limits (DEFAULT_CURRENCIES and none when it never set any). */
export async function getTenantAccountSettings(deps: TenantAccountSettingsDeps, identity: Identity | null, args: { tenantId?: string | null }): Promise<TenantSettings> {
  const tenantId = await resolveSettingsTenant(deps, requireIdentity(identity), args.tenantId);
  return deps.tenantSettings.find(tenantId);
}
