import type { Card, PrismaClient } from '../generated/prisma/client';

/** A card as stored (the Prisma model of cards.card). */
export type CardRow = Card;

/** Every statement about cards in the cards database. */
export function createCardStore(db: PrismaClient) {
  return {
    findByIds(ids: readonly string[]): Promise<CardRow[]> {
      return db.card.findMany({ where: { id: { in: [...ids] } } });
    },
  };
}

export type CardStore = ReturnType<typeof createCardStore>;
