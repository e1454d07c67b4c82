import { createHash } from 'node:crypto';
import { badInput, DomainError, unauthenticated } from '@baas/errors';
import { isUuid } from '@baas/server';
import type { PasskeyCeremony, PendingChallenge } from '../store/passkey-challenge-store';
import type { IdentityDeps } from './deps';

const sha256 = (value: unknown) => createHash('sha256').update(JSON.stringify(value)).digest('hex');

/**
 * Claims a challenge for one finish: the first finish with a response wins; the same response
 * presented again is a replay (the caller may answer it as before); any other finish is refused, as a
 * challenge answers once.
 */
export async function claimPasskeyChallenge(
  deps: Pick<IdentityDeps, 'passkeyChallenges'>,
  challengeId: string,
  ceremony: PasskeyCeremony,
  response: unknown,
): Promise<{ pending: PendingChallenge; replay: boolean }> {
  if (!isUuid(challengeId)) throw badInput('challengeId must be a UUID.', { field: 'challengeId' });
  const pending = await deps.passkeyChallenges.find(challengeId);
  if (!pending || pending.ceremony !== ceremony) throw unauthenticated('The passkey challenge has expired.');
  const claim = await deps.passkeyChallenges.claim(challengeId, sha256(response));
  if (claim === 'CLAIMED') return { pending, replay: false };
  if (claim === 'SAME') return { pending, replay: true };
  throw new DomainError('UNAUTHENTICATED', 'The passkey challenge was already answered.', { reason: 'CHALLENGE_MISMATCH' });
}
