import type { SignInChallenge } from '../generated/prisma/client';
import type { Db } from './db';

export type SignInChallengeRow = SignInChallenge;

/** A challenge as locked for redemption (snake_case, from SQL). */
export type ChallengeLock = {
  id: string;
  tenant_id: string;
  customer_id: string | null;
  code_hash: string;
  code_of: string | null;
  attempts: number;
  max_attempts: number;
  expires_at: Date;
  consumed_at: Date | null;
};

export type NewSignInChallenge = Pick<
  SignInChallengeRow,
  'id' | 'tenantId' | 'customerId' | 'channel' | 'destinationIndex' | 'maskedDestination' | 'codeHash' | 'linkTokenHash' | 'maxAttempts' | 'expiresAt' | 'requestHash' | 'requesterIndex' | 'delivered' | 'codeOf'
>;

/** Every statement on identity.sign_in_challenge. */
export function createSignInChallengeStore(db: Db) {
  return {
    find: (id: string) => db.signInChallenge.findUnique({ where: { id } }),
    insert: (data: NewSignInChallenge) => db.signInChallenge.create({ data }),
    /** The newest challenge of this customer's destination whose code was sent and still works (not used, not expired). */
    lastLiveDelivery: (tenantId: string, destinationIndex: string, customerId: string) =>
      db.signInChallenge.findFirst({
        where: { tenantId, destinationIndex, customerId, delivered: true, consumedAt: null, expiresAt: { gt: new Date() } },
        select: { id: true },
        orderBy: { createdAt: 'desc' },
      }),
    /** When the newest `take` challenges matching `where` were created, since `since`, newest first. */
    recentCreatedAt: async (where: { tenantId?: string; destinationIndex?: string; requesterIndex?: string }, since: Date, take: number) =>
      (await db.signInChallenge.findMany({ where: { ...where, createdAt: { gt: since } }, select: { createdAt: true }, orderBy: { createdAt: 'desc' }, take })).map((r) => r.createdAt),
    countToDestination: (tenantId: string, destinationIndex: string, since: Date) =>
      db.signInChallenge.count({ where: { tenantId, destinationIndex, createdAt: { gt: since } } }),
    /** Locks the challenge (FOR UPDATE), by id or by its magic-link token hash. */
    lock: async (by: { id: string } | { linkTokenHash: string }): Promise<ChallengeLock | undefined> => {
      const rows =
        'id' in by
          ? await db.$queryRaw<ChallengeLock[]>`
              SELECT id::text AS id, tenant_id::text AS tenant_id, customer_id::text AS customer_id, code_hash, code_of::text AS code_of, attempts, max_attempts, expires_at, consumed_at
                FROM identity.sign_in_challenge WHERE id = ${by.id}::uuid FOR UPDATE`
          : await db.$queryRaw<ChallengeLock[]>`
              SELECT id::text AS id, tenant_id::text AS tenant_id, customer_id::text AS customer_id, code_hash, code_of::text AS code_of, attempts, max_attempts, expires_at, consumed_at
                FROM identity.sign_in_challenge WHERE link_token_hash = ${by.linkTokenHash} FOR UPDATE`;
      return rows[0];
    },
    codeOwner: (id: string) => db.signInChallenge.findUnique({ where: { id }, select: { id: true, codeHash: true } }),
    /** Spends one attempt; returns the attempts spent so far (undefined when the row is gone). */
    spendAttempt: async (id: string) =>
      (await db.$queryRaw<{ attempts: number }[]>`UPDATE identity.sign_in_challenge SET attempts = attempts + 1 WHERE id = ${id}::uuid RETURNING attempts`)[0]?.attempts,
    /** Single use, decided by the database: only one redemption flips consumed_at. False when already consumed or expired. */
    consume: async (id: string) =>
      (
        await db.$queryRaw<{ id: string }[]>`
          UPDATE identity.sign_in_challenge SET consumed_at = now()
           WHERE id = ${id}::uuid AND consumed_at IS NULL AND expires_at > now()
           RETURNING id::text AS id`
      ).length > 0,
    /** Marks a (held) challenge consumed along with the one whose code it took. */
    consumeAlso: async (id: string) => {
      await db.$executeRaw`UPDATE identity.sign_in_challenge SET consumed_at = now() WHERE id = ${id}::uuid AND consumed_at IS NULL`;
    },
  };
}

export type SignInChallengeStore = ReturnType<typeof createSignInChallengeStore>;
