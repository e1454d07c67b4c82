import type { PrismaClient, ThreeDsChallenge } from '../generated/prisma/client';
import { appendCardEvents, type CardEvent } from './card-events';
import type { CardTx } from './card-store';

/** A 3-D Secure challenge as stored (its code only as a keyed hash). */
export type ChallengeRow = ThreeDsChallenge;
export type NewChallenge = Pick<ThreeDsChallenge, 'id' | 'cardId' | 'tenantId' | 'customerId' | 'amount' | 'currency' | 'merchant' | 'state' | 'codeHash' | 'expiresAt' | 'requestHash' | 'createdAt'>;
/** What an answer writes: the new state and attempts (verifiedAt on VERIFIED). */
export type ChallengeAnswer = { state: string; attempts: number; verifiedAt?: Date | null };

/** Every statement on cards.three_ds_challenge. */
export function createChallengeStore(db: PrismaClient) {
  return {
    findById(id: string, tx?: CardTx): Promise<ChallengeRow | null> {
      return (tx ?? db).threeDsChallenge.findUnique({ where: { id } });
    },
    /** Appends cards.challenge.* events inside the caller's transaction. */
    appendEvents(tx: CardTx, events: readonly CardEvent[]): Promise<void> {
      return appendCardEvents(tx, events);
    },
    /** Inserts a challenge and its events inside the caller's transaction. */
    async insert(tx: CardTx, challenge: NewChallenge, events: readonly CardEvent[]): Promise<ChallengeRow> {
      const row = await tx.threeDsChallenge.create({ data: challenge });
      await appendCardEvents(tx, events);
      return row;
    },
    /**
     * Writes an answer over the state and attempts it was decided from (compare-and-set), with its events;
     * null when a concurrent answer changed the challenge first (the caller reads it again).
     */
    async answer(id: string, from: { state: string; attempts: number }, to: ChallengeAnswer, events: readonly CardEvent[]): Promise<ChallengeRow | null> {
      return db.$transaction(async (tx) => {
        const moved = await tx.threeDsChallenge.updateMany({ where: { id, state: from.state, attempts: from.attempts }, data: to });
        if (moved.count === 0) return null;
        await appendCardEvents(tx, events);
        return tx.threeDsChallenge.findUnique({ where: { id } });
      });
    },
    /**
     * Spends a VERIFIED challenge of `cardId` covering `amount` on one authorisation (USED); true when it
     * was spent by this call or already by the same authorisation, false otherwise (unknown, another card,
     * too small, not verified, or used by another authorisation).
     */
    async use(id: string, cardId: string, amount: bigint, authorizationId: string): Promise<boolean> {
      const spent = await db.threeDsChallenge.updateMany({ where: { id, cardId, state: 'VERIFIED', amount: { gte: amount } }, data: { state: 'USED', authorizationId } });
      if (spent.count === 1) return true;
      return (await db.threeDsChallenge.count({ where: { id, authorizationId } })) === 1;
    },
    /** Gives a challenge back (VERIFIED) when the authorisation that spent it was declined for another reason. */
    async release(id: string, authorizationId: string): Promise<void> {
      await db.threeDsChallenge.updateMany({ where: { id, authorizationId, state: 'USED' }, data: { state: 'VERIFIED', authorizationId: null } });
    },
  };
}

export type ChallengeStore = ReturnType<typeof createChallengeStore>;
