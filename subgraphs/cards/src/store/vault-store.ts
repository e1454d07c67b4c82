import type { Card, PrismaClient } from '../generated/prisma/client';
import { SELECT_CARD } from './card-columns';

/** A card's sealed PAN (AES-256-GCM through @baas/pii, context card.pan:<cardId>). */
export type SealedPan = { sealedPan: string; keyId: string };

/**
 * Reads of cards.card_vault: the only place the sealed PAN is read (revealing a card to its holder; the
 * sandbox network simulator, with the card in the same statement).
 * Writes happen with the card, in its issuing transaction (card-store insert).
 */
export function createVaultStore(db: PrismaClient) {
  return {
    /** A whole card row and its sealed PAN (null when the vault has none), in one statement; null when no such card. */
    async cardWithSealedPan(id: string): Promise<{ card: Card; sealed: SealedPan | null } | null> {
      const rows = await db.$queryRaw<(Card & { sealedPan: string | null; keyId: string | null })[]>`
        SELECT ${SELECT_CARD}, v.sealed_pan AS "sealedPan", v.key_id AS "keyId"
        FROM cards.card c LEFT JOIN cards.card_vault v ON v.card_id = c.id
        WHERE c.id = ${id}::uuid`;
      const row = rows[0];
      if (!row) return null;
      const { sealedPan, keyId, ...card } = row;
      return { card, sealed: sealedPan !== null && keyId !== null ? { sealedPan, keyId } : null };
    },
    async sealedPanOf(cardId: string): Promise<SealedPan | null> {
      const row = await db.cardVault.findUnique({ where: { cardId }, select: { sealedPan: true, keyId: true } });
      return row ?? null;
    },
  };
}

export type VaultStore = ReturnType<typeof createVaultStore>;
