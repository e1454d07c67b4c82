import type { Identity } from '@baas/auth';
import { forbidden } from '@baas/errors';
import { mayManageTenantCards } from '../permissions';
import type { TenantCardSettingsRow } from '../store/card-settings-store';
import type { CardDeps } from './card-deps';
import { settingsTenant } from './set-tenant-card-settings';

/** A tenant's card settings (defaults when never set): its client with cards:write, or an operator naming it. */
export async function getTenantCardSettings(deps: Pick<CardDeps, 'settings'>, who: Identity, tenantId: string | null | undefined): Promise<TenantCardSettingsRow> {
  const tenant = settingsTenant(who, tenantId);
  if (!mayManageTenantCards(who, tenant)) throw forbidden();
  return deps.settings.get(tenant);
}
