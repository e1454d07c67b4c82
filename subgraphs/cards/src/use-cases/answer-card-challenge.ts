import type { Identity } from '@baas/auth';
import { isCustomerSelf } from '@baas/authz';
import { badInput, DomainError, notFound } from '@baas/errors';
import { answerChallenge, type AnswerOutcome, type ChallengeState } from '../domain/three-ds';
import type { ChallengeRow } from '../store/challenge-store';
import { requireUuid } from './card-deps';
import { challengeEvent, type ChallengeDeps } from './challenge-deps';

const STATE_AFTER: Readonly<Record<AnswerOutcome['kind'], ChallengeState>> = { VERIFIED: 'VERIFIED', WRONG_CODE: 'PENDING', FAILED: 'FAILED', EXPIRED: 'EXPIRED' };

function refusal(outcome: AnswerOutcome): DomainError {
  if (outcome.kind === 'WRONG_CODE') return new DomainError('INVALID_CODE', 'The code is not right.', { reason: 'WRONG_CODE', attemptsLeft: outcome.attemptsLeft });
  if (outcome.kind === 'EXPIRED') return new DomainError('INVALID_CODE', 'The code has expired: the purchase has to be authenticated again.', { reason: 'CODE_EXPIRED' });
  return new DomainError('TOO_MANY_ATTEMPTS', 'The code\'s tries are used up: the purchase has to be authenticated again.', { reason: 'CHALLENGE_FAILED' });
}

/**
 * The cardholder answers a 3-D Secure challenge with the code sent to them (customers only, their own
 * card's challenges: anyone else's, or none, is NOT_FOUND). The right code within 5 minutes: VERIFIED
 * (event cards.challenge.verified), and the same answer again is VERIFIED (also once an authorisation used
 * it). A wrong code: INVALID_CODE (reason WRONG_CODE, details.attemptsLeft); the third wrong one fails the
 * challenge: TOO_MANY_ATTEMPTS (reason CHALLENGE_FAILED) then and for every later answer (event
 * cards.challenge.failed); past its expiry: INVALID_CODE (reason CODE_EXPIRED; event cards.challenge.failed
 * with reason EXPIRED). Concurrent answers are compare-and-set on (state, attempts): each try counts once.
 */
export async function answerCardChallenge(deps: ChallengeDeps, who: Identity, input: { id: string; code: string }): Promise<ChallengeRow> {
  const now = deps.now?.() ?? new Date();
  const id = requireUuid(input.id, 'id');
  if (typeof input.code !== 'string' || !/^\d{6}$/.test(input.code)) throw badInput('The code is 6 digits.', { field: 'code', reason: 'MALFORMED_CODE' });
  for (let round = 0; round < 5; round++) {
    const row = await deps.challenges.findById(id);
    if (!row || !isCustomerSelf(who, row)) throw notFound('CardChallenge');
    const outcome = answerChallenge(deps.codeKey, { id: row.id, state: row.state as ChallengeState, codeHash: row.codeHash, attempts: row.attempts, expiresAt: row.expiresAt }, input.code, now);
    if (!outcome.changed) {
      if (outcome.kind === 'VERIFIED') return row;
      throw refusal(outcome);
    }
    const state = STATE_AFTER[outcome.kind];
    const events =
      outcome.kind === 'VERIFIED' ? [challengeEvent('cards.challenge.verified', row)]
      : outcome.kind === 'FAILED' ? [challengeEvent('cards.challenge.failed', row, { reason: 'TOO_MANY_ATTEMPTS' })]
      : outcome.kind === 'EXPIRED' ? [challengeEvent('cards.challenge.failed', row, { reason: 'EXPIRED' })]
      : [];
    const written = await deps.challenges.answer(id, { state: row.state, attempts: row.attempts }, { state, attempts: outcome.attempts, ...(state === 'VERIFIED' ? { verifiedAt: now } : {}) }, events);
    if (!written) continue; // another answer changed it first: decide again on what it wrote
    if (outcome.kind === 'VERIFIED') return written;
    throw refusal(outcome);
  }
  throw new DomainError('CONFLICT', 'The challenge is being answered elsewhere: try again.', { reason: 'CONCURRENT_ANSWERS' });
}
