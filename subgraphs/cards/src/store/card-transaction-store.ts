import type { CardTransaction, PrismaClient } from '../generated/prisma/client';
import { appendCardEvents, type CardEvent } from './card-events';
import type { Tx } from './authorization-store';

/** A card money movement as stored (cards.card_transaction). */
export type CardTransactionRow = CardTransaction;
export type NewCardTransaction = Pick<CardTransaction, 'id' | 'cardId' | 'tenantId' | 'customerId' | 'authorizationId' | 'kind' | 'amount' | 'currency' | 'networkKey' | 'ledgerTransferId'>;

/** Every statement about card transactions. */
export function createCardTransactionStore(db: PrismaClient) {
  return {
    byNetworkKey(networkKey: string, tx?: Tx): Promise<CardTransactionRow | null> {
      return (tx ?? db).cardTransaction.findUnique({ where: { networkKey } });
    },
    /** An authorisation's movements in the order they happened (its hold history). */
    history(tx: Tx, authorizationId: string): Promise<CardTransactionRow[]> {
      return tx.cardTransaction.findMany({ where: { authorizationId }, orderBy: [{ createdAt: 'asc' }, { id: 'asc' }] });
    },
    /** Records a movement of an authorisation (under its row lock) at `createdAt`, which orders its history. */
    async record(tx: Tx, row: NewCardTransaction, events: readonly CardEvent[], createdAt: Date): Promise<void> {
      await tx.cardTransaction.create({ data: { ...row, createdAt } });
      await appendCardEvents(tx, events);
    },
    /** Records a movement without an authorisation (refund, force-post) with its events; false when its network key is taken. */
    async recordAlone(row: NewCardTransaction, events: readonly CardEvent[]): Promise<boolean> {
      return db.$transaction(async (tx) => {
        const { count } = await tx.cardTransaction.createMany({ data: [row], skipDuplicates: true });
        if (count === 1) await appendCardEvents(tx, events);
        return count === 1;
      });
    },
  };
}

export type CardTransactionStore = ReturnType<typeof createCardTransactionStore>;
