import type { Redis } from 'ioredis';
import { uuidv7 } from '@baas/db';
import type { EnrolmentRoute } from '../domain/passkey-enrolment';
import { PASSKEY_CHALLENGE_TTL_SECONDS } from '../domain/webauthn/create-passkey-challenge';

export type PasskeyCeremony = 'register' | 'signin' | 'stepup';

/** A pending WebAuthn ceremony, kept in Redis for PASSKEY_CHALLENGE_TTL_SECONDS. */
export type PendingChallenge = {
  ceremony: PasskeyCeremony;
  challenge: string;
  tenantId: string;
  customerId?: string;
  sessionId?: string;
  expiresAt: string;
  /** Registration: how it was allowed (domain/passkey-enrolment), re-checked when it finishes. */
  route?: EnrolmentRoute;
};

/** Pending passkey challenges and their claims (Redis keys under the deployment's prefix). */
export function createPasskeyChallengeStore(redis: Redis, prefix: string) {
  const keyOf = (id: string) => `${prefix}:passkey:challenge:${id}`;
  const claimOf = (id: string) => `${prefix}:passkey:claim:${id}`;
  return {
    /** Stores a pending challenge under a new id (returned). */
    save: async (pending: PendingChallenge, id: string = uuidv7()): Promise<string> => {
      await redis.set(keyOf(id), JSON.stringify(pending), 'EX', PASSKEY_CHALLENGE_TTL_SECONDS);
      return id;
    },
    find: async (id: string): Promise<PendingChallenge | null> => {
      const raw = await redis.get(keyOf(id));
      return raw ? (JSON.parse(raw) as PendingChallenge) : null;
    },
    /** Claims the challenge for the response with this hash: 'CLAIMED' first time, 'SAME' for the same response again, 'OTHER' otherwise. */
    claim: async (id: string, responseHash: string): Promise<'CLAIMED' | 'SAME' | 'OTHER'> => {
      const claimed = await redis.set(claimOf(id), responseHash, 'EX', PASSKEY_CHALLENGE_TTL_SECONDS, 'NX');
      if (claimed === 'OK') return 'CLAIMED';
      return (await redis.get(claimOf(id))) === responseHash ? 'SAME' : 'OTHER';
    },
  };
}

export type PasskeyChallengeStore = ReturnType<typeof createPasskeyChallengeStore>;
