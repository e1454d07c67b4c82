import type { Card, PrismaClient, TenantCardSettings } from '../generated/prisma/client';
import type { SettingsCache } from './settings-cache';

/** What an authorisation needs to know about its card (never the PAN: the message carries it). */
export type AuthorizingCard = Pick<
  Card,
  'id' | 'tenantId' | 'customerId' | 'accountId' | 'ledgerAccountId' | 'currency' | 'state' | 'closeReason' | 'first6' | 'last4' | 'expiry' | 'controls'
>;
export type CardSettingsRow = TenantCardSettings;

const CARD_FIELDS = {
  id: true, tenantId: true, customerId: true, accountId: true, ledgerAccountId: true, currency: true, state: true, closeReason: true, first6: true, last4: true, expiry: true, controls: true,
} as const;

/**
 * The card look-ups of the authorisation path: by the PAN's blind index, by id, and the tenant's card settings (through a short per-process cache when given:
 * the settings store makes it forget a tenant it writes).
 */
export function createCardLookupStore(db: PrismaClient, cache?: SettingsCache<CardSettingsRow | null>) {
  const readSettings = (tenantId: string) => db.tenantCardSettings.findUnique({ where: { tenantId } });
  return {
    byPanIndex(panIndex: string): Promise<AuthorizingCard | null> {
      return db.card.findUnique({ where: { panIndex }, select: CARD_FIELDS });
    },
    byId(id: string): Promise<AuthorizingCard | null> {
      return db.card.findUnique({ where: { id }, select: CARD_FIELDS });
    },
    settings(tenantId: string): Promise<CardSettingsRow | null> {
      return cache ? cache.get(tenantId, () => readSettings(tenantId)) : readSettings(tenantId);
    },
  };
}

export type CardLookupStore = ReturnType<typeof createCardLookupStore>;
