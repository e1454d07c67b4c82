import type { Card, Prisma, PrismaClient } from '../generated/prisma/client';
import { appendCardEvents, type CardEvent } from './card-events';

/** A card as stored (the Prisma model of cards.card). */
export type CardRow = Card;
export type CardTx = Prisma.TransactionClient;

/** A card to insert (with its PAN already sealed: `vault`). */
export type NewCard = Pick<
  Card,
  'id' | 'tenantId' | 'customerId' | 'accountId' | 'ledgerAccountId' | 'currency' | 'form' | 'state' | 'fulfilment' | 'brand' | 'first6' | 'last4' | 'panIndex' | 'expiry' | 'controls' | 'replacesCardId' | 'requestHash' | 'createdAt' | 'activatedAt'
>;

/** What a state or fulfilment change writes. */
export type CardChange = Partial<Pick<Card, 'state' | 'closeReason' | 'fulfilment' | 'controls' | 'replacedById' | 'activatedAt' | 'closedAt'>>;

/** A page position: the last card's creation time and id (newest first). */
export type CardCursor = { createdAt: Date; id: string };

/** Every statement about cards in the cards database (card, card_sequence, card_vault writes at issue). */
export function createCardStore(db: PrismaClient) {
  return {
    findByIds(ids: readonly string[]): Promise<CardRow[]> {
      return db.card.findMany({ where: { id: { in: [...ids] } } });
    },
    findById(id: string, tx?: CardTx): Promise<CardRow | null> {
      return (tx ?? db).card.findUnique({ where: { id } });
    },
    /** The card replacing `cardId`, if one was issued. */
    findReplacementOf(cardId: string, tx?: CardTx): Promise<CardRow | null> {
      return (tx ?? db).card.findUnique({ where: { replacesCardId: cardId } });
    },
    /** Runs `work` in one transaction (read committed; the row locks below serialise what matters). */
    transaction<T>(work: (tx: CardTx) => Promise<T>): Promise<T> {
      return db.$transaction(work, { timeout: 15_000 });
    },
    /** The next sequence number under `bin`: the row stays locked until the caller's transaction ends, so numbers are unique. */
    async nextSequence(tx: CardTx, bin: string): Promise<bigint> {
      const rows = await tx.$queryRaw<{ seq: bigint }[]>`
        INSERT INTO cards.card_sequence (bin, next) VALUES (${bin}, 2)
        ON CONFLICT (bin) DO UPDATE SET next = cards.card_sequence.next + 1
        RETURNING next - 1 AS seq`;
      return BigInt(rows[0]!.seq);
    },
    /** Locks the card's row for the rest of the transaction and reads it. */
    async lock(tx: CardTx, id: string): Promise<CardRow | null> {
      const ids = await tx.$queryRaw<{ id: string }[]>`SELECT id::text AS id FROM cards.card WHERE id = ${id}::uuid FOR UPDATE`;
      return ids[0] ? tx.card.findUnique({ where: { id } }) : null;
    },
    /** Inserts a card, its sealed PAN and its events, inside the caller's transaction. */
    async insert(tx: CardTx, card: NewCard, vault: { sealedPan: string; keyId: string }, events: readonly CardEvent[]): Promise<CardRow> {
      const row = await tx.card.create({ data: card });
      await tx.cardVault.create({ data: { cardId: card.id, sealedPan: vault.sealedPan, keyId: vault.keyId, createdAt: card.createdAt } });
      await appendCardEvents(tx, events);
      return row;
    },
    /** Applies a change to a (locked) card and appends its events. */
    async update(tx: CardTx, id: string, change: CardChange, events: readonly CardEvent[]): Promise<CardRow> {
      const row = await tx.card.update({ where: { id }, data: change });
      await appendCardEvents(tx, events);
      return row;
    },
    /** Cards newest first, filtered by tenant and customer when given; one more than `first` tells whether there is a next page. */
    list(opts: { tenantId?: string | null; customerId?: string | null; first: number; after?: CardCursor | null }): Promise<CardRow[]> {
      const where: Prisma.CardWhereInput = {
        ...(opts.tenantId ? { tenantId: opts.tenantId } : {}),
        ...(opts.customerId ? { customerId: opts.customerId } : {}),
        ...(opts.after ? { OR: [{ createdAt: { lt: opts.after.createdAt } }, { createdAt: opts.after.createdAt, id: { lt: opts.after.id } }] } : {}),
      };
      return db.card.findMany({ where, orderBy: [{ createdAt: 'desc' }, { id: 'desc' }], take: opts.first + 1 });
    },
  };
}

export type CardStore = ReturnType<typeof createCardStore>;
