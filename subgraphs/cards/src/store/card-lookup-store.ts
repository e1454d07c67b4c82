import type { Card, PrismaClient, TenantCardSettings } from '../generated/prisma/client';

/** What an authorisation needs to know about its card (never the PAN: the message carries it). */
export type AuthorizingCard = Pick<
  Card,
  'id' | 'tenantId' | 'customerId' | 'accountId' | 'ledgerAccountId' | 'currency' | 'state' | 'closeReason' | 'first6' | 'last4' | 'expiry' | 'controls'
>;
export type CardSettingsRow = TenantCardSettings;

const CARD_FIELDS = {
  id: true, tenantId: true, customerId: true, accountId: true, ledgerAccountId: true, currency: true, state: true, closeReason: true, first6: true, last4: true, expiry: true, controls: true,
} as const;

/** The card look-ups of the authorisation path: by the PAN's blind index, by id, and the tenant's card settings. */
export function createCardLookupStore(db: PrismaClient) {
  return {
    byPanIndex(panIndex: string): Promise<AuthorizingCard | null> {
      return db.card.findUnique({ where: { panIndex }, select: CARD_FIELDS });
    },
    byId(id: string): Promise<AuthorizingCard | null> {
      return db.card.findUnique({ where: { id }, select: CARD_FIELDS });
    },
    settings(tenantId: string): Promise<CardSettingsRow | null> {
      return db.tenantCardSettings.findUnique({ where: { tenantId } });
    },
  };
}

export type CardLookupStore = ReturnType<typeof createCardLookupStore>;
