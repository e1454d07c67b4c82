import type { PrismaClient } from '../generated/prisma/client';

/** A card's sealed PAN (AES-256-GCM through @baas/pii, context card.pan:<cardId>). */
export type SealedPan = { sealedPan: string; keyId: string };

/**
 * Reads of cards.card_vault: the only place the sealed PAN is read (revealing a card to its holder).
 * Writes happen with the card, in its issuing transaction (card-store insert).
 */
export function createVaultStore(db: PrismaClient) {
  return {
    async sealedPanOf(cardId: string): Promise<SealedPan | null> {
      const row = await db.cardVault.findUnique({ where: { cardId }, select: { sealedPan: true, keyId: true } });
      return row ?? null;
    },
  };
}

export type VaultStore = ReturnType<typeof createVaultStore>;
