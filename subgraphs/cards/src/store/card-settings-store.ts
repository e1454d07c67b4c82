import type { PrismaClient, TenantCardSettings } from '../generated/prisma/client';
import type { SettingsCache } from './settings-cache';

/** A tenant's card settings as stored (controls as JSON with amounts as decimal strings). */
export type TenantCardSettingsRow = TenantCardSettings;
export type TenantCardSettingsChange = Partial<Pick<TenantCardSettings, 'controls' | 'decisionUrl' | 'decisionSecret' | 'decisionTimeoutMs' | 'standIn' | 'requireThreeDsAbove'>>;

/** The defaults a tenant without a row has: no bounds, no webhook, decline on silence. */
export const defaultTenantCardSettings = (tenantId: string): TenantCardSettingsRow => ({
  tenantId,
  controls: '{}',
  decisionUrl: null,
  decisionSecret: null,
  decisionTimeoutMs: 1500,
  standIn: 'DECLINE',
  requireThreeDsAbove: null,
  updatedAt: new Date(0),
});

/** Every statement on cards.tenant_card_settings; a write makes the authorisation path's cache forget the tenant. */
export function createCardSettingsStore(db: PrismaClient, cache?: Pick<SettingsCache<unknown>, 'forget'>) {
  return {
    async get(tenantId: string): Promise<TenantCardSettingsRow> {
      return (await db.tenantCardSettings.findUnique({ where: { tenantId } })) ?? defaultTenantCardSettings(tenantId);
    },
    async upsert(tenantId: string, change: TenantCardSettingsChange): Promise<TenantCardSettingsRow> {
      const row = await db.tenantCardSettings.upsert({ where: { tenantId }, create: { tenantId, ...change }, update: change });
      cache?.forget(tenantId);
      return row;
    },
  };
}

export type CardSettingsStore = ReturnType<typeof createCardSettingsStore>;
