import { DomainError } from '@baas/errors';
import { OTP_AMR } from '../domain/amr';
import { CUSTOMER_SCOPES } from '../domain/scopes';
import { codeHash, digestsEqual } from '../domain/sign-in-secrets';
import { tenantSuspended } from '../domain/tenant-rules';
import type { SessionRow } from '../store/session-store';
import type { IdentityDeps } from './deps';

/** What verifying a code or redeeming a link needs. */
export type FinishSignInDeps = Pick<IdentityDeps, 'stores' | 'vault' | 'sessionPolicy' | 'logger'>;

export type OpenedSession = { session: SessionRow; refreshToken: string };

/** A one-time code for a challenge, or a magic link (its token's hash). */
export type SignInProof = { kind: 'code'; challengeId: string; code: string } | { kind: 'link'; tokenHash: string };

type Outcome = { kind: 'opened'; opened: OpenedSession } | { kind: 'invalid'; attemptsLeft?: number } | { kind: 'too-many' } | { kind: 'suspended' };

const invalidCode = (attemptsLeft?: number) => new DomainError('INVALID_CODE', undefined, attemptsLeft === undefined ? undefined : { attemptsLeft });

/**
 * Exchanges a proof (code or link) for a session of the challenge's customer (kind customer, amr otp).
 *
 * - Unknown, expired or ended challenges, and challenges whose contact belongs to no active customer
 *   (or to one suspended or closed since): INVALID_CODE. A suspended tenant: TENANT_SUSPENDED.
 * - A wrong code spends an attempt (under a row lock): INVALID_CODE with details.attemptsLeft, and
 *   TOO_MANY_ATTEMPTS on the last one. From then on the challenge is dead, right code included.
 * - Single use (issue 10 item 8): the right code consumes the code's challenge with a conditional
 *   UPDATE ... WHERE consumed_at IS NULL RETURNING in the transaction that opens the session, so of
 *   two concurrent redemptions exactly one opens a session; any later one is INVALID_CODE, and
 *   nothing is reissued or revoked.
 * - A challenge held past the destination's send cap (`code_of`) takes the code of the challenge it
 *   was held for: redeeming either consumes that code for both.
 */
export async function redeemSignInChallenge(deps: FinishSignInDeps, proof: SignInProof): Promise<OpenedSession> {
  const outcome = await deps.stores.transaction(async (tx): Promise<Outcome> => {
    const challenge = await tx.challenges.lock(proof.kind === 'code' ? { id: proof.challengeId } : { linkTokenHash: proof.tokenHash });
    if (!challenge || challenge.consumed_at || challenge.expires_at.getTime() <= Date.now()) return { kind: 'invalid' };
    if (challenge.attempts >= challenge.max_attempts) return { kind: 'too-many' };
    const tenant = await tx.tenants.find(challenge.tenant_id);
    if (tenant && tenant.status !== 'ACTIVE') return { kind: 'suspended' };

    // The challenge whose code this is: itself, or the delivered one it was held for.
    const owner = challenge.code_of ? await tx.challenges.codeOwner(challenge.code_of) : { id: challenge.id, codeHash: challenge.code_hash };
    // Computed for every challenge, with or without a customer, so both take the same time.
    const codeMatches = proof.kind === 'link' || (owner !== null && digestsEqual(codeHash(deps.vault, owner.id, proof.code), owner.codeHash));
    const customer = challenge.customer_id ? await tx.customers.find(challenge.customer_id) : null;
    const eligible = owner !== null && customer !== null && customer.status === 'ACTIVE' && customer.tenantId === challenge.tenant_id;

    if (!codeMatches || !eligible) {
      // A link token is 256 random bits: nothing to guess, so only codes spend attempts.
      if (proof.kind === 'link') return { kind: 'invalid' };
      const spent = await tx.challenges.spendAttempt(challenge.id);
      const left = challenge.max_attempts - (spent ?? challenge.max_attempts);
      return left <= 0 ? { kind: 'too-many' } : { kind: 'invalid', attemptsLeft: left };
    }

    // Single use, decided by the database: only one redemption flips consumed_at of the code's challenge.
    if (!(await tx.challenges.consume(owner.id))) return { kind: 'invalid' };
    if (owner.id !== challenge.id) await tx.challenges.consumeAlso(challenge.id);
    const opened = await tx.sessions.start(
      { subject: customer.id, kind: 'customer', tenantId: challenge.tenant_id, scopes: [...CUSTOMER_SCOPES] },
      deps.sessionPolicy,
      { amr: [...OTP_AMR], challengeId: challenge.id },
    );
    return { kind: 'opened', opened };
  });

  const via = proof.kind;
  const about = proof.kind === 'code' ? { challengeId: proof.challengeId } : {};
  switch (outcome.kind) {
    case 'opened':
      deps.logger?.info({ challengeId: outcome.opened.session.challengeId, sessionId: outcome.opened.session.id, via }, 'sign-in succeeded');
      return outcome.opened;
    case 'suspended':
      deps.logger?.info({ ...about, via }, 'sign-in refused: the tenant is suspended');
      throw tenantSuspended();
    case 'too-many':
      deps.logger?.info({ ...about, via }, 'sign-in refused: too many attempts');
      throw new DomainError('TOO_MANY_ATTEMPTS');
    case 'invalid':
      deps.logger?.info({ ...about, via, attemptsLeft: outcome.attemptsLeft }, 'sign-in refused: invalid code');
      throw invalidCode(outcome.attemptsLeft);
  }
}
