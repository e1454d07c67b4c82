import type { Collection } from 'mongodb';
import type { KycClaimDoc } from './kyc-collections';

/** A claim older than this whose work never landed is taken over (its holder died between two statements). */
export const STALE_CLAIM_MS = 30_000;

const DUPLICATE_KEY = 11000;

/** MongoDB's duplicate-key error (another insert took the _id first). */
export function isDuplicateKey(error: unknown): boolean {
  return typeof error === 'object' && error !== null && (error as { code?: unknown }).code === DUPLICATE_KEY;
}

/**
 * Exactly-one-winner claims on a unique _id: the one primitive both MongoDB and FerretDB make atomic
 * (FerretDB 1.x runs findAndModify and update as a read then a write, so N concurrent
 * compare-and-sets on the same version all "succeed": measured in test/store/kyc-stores.test.ts).
 * `take` is true for exactly one caller per id; with `staleAfterMs`, a claim that old is taken over
 * once `stillPending` says its work never landed.
 */
export function createClaims(claims: Collection<KycClaimDoc>) {
  const insert = async (id: string, now: Date): Promise<boolean> => {
    try {
      await claims.insertOne({ _id: id, at: now });
      return true;
    } catch (error) {
      if (isDuplicateKey(error)) return false;
      throw error;
    }
  };
  return {
    async take(id: string, now: Date, stale?: { stillPending: () => Promise<boolean> }): Promise<boolean> {
      if (await insert(id, now)) return true;
      if (!stale) return false;
      const held = await claims.findOne({ _id: id });
      if (!held || now.getTime() - held.at.getTime() < STALE_CLAIM_MS || !(await stale.stillPending())) return false;
      await claims.deleteOne({ _id: id, at: held.at });
      return insert(id, now);
    },
    async release(id: string): Promise<void> {
      await claims.deleteOne({ _id: id });
    },
  };
}

export type Claims = ReturnType<typeof createClaims>;
