import { DomainError, badInput } from '@baas/errors';
import type { Logger } from '@baas/observability';
import type { PiiVault } from '@baas/pii';
import { isUuid } from '@baas/server';
import type { PrismaClient } from '../generated/prisma/client';
import { CUSTOMER_SCOPES } from '../services/session-tokens';
import { startSession, type SessionPolicy, type SessionRow } from '../services/sessions';
import { tenantSuspended } from '../domain/tenant-rules';
import { CODE_DIGITS, LINK_TOKEN_PATTERN, codeHash, digestsEqual, linkTokenHash } from './sign-in-secrets';

/** What verifying a code or redeeming a link needs (the resolver context has it all). */
export type FinishSignInDeps = { db: PrismaClient; vault: PiiVault; sessionPolicy: SessionPolicy; logger?: Logger };

export type OpenedSession = { session: SessionRow; refreshToken: string };

/**
 * RFC 8176 `amr` of a session opened by a one-time code or a magic link. RFC 8176 has no value for
 * a magic link; a link is a one-time secret delivered out of band like the code it travels with,
 * so it is `otp` too.
 */
export const OTP_AMR = ['otp'];

type Proof = { kind: 'code'; challengeId: string; code: string } | { kind: 'link'; tokenHash: string };

type ChallengeLock = {
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

type Outcome =
  | { kind: 'opened'; opened: OpenedSession }
  | { kind: 'invalid'; attemptsLeft?: number }
  | { kind: 'too-many' }
  | { kind: 'suspended' };

const invalidCode = (attemptsLeft?: number) =>
  new DomainError('INVALID_CODE', undefined, attemptsLeft === undefined ? undefined : { attemptsLeft });

/**
 * Exchanges a one-time code for a session of the challenge's customer (kind customer, amr otp).
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
export async function verifySignInCode(deps: FinishSignInDeps, challengeId: string, code: string): Promise<OpenedSession> {
  if (typeof challengeId !== 'string' || !isUuid(challengeId)) throw badInput('challengeId must be a UUID.', { field: 'challengeId' });
  const digits = typeof code === 'string' ? code.replace(/[\s-]/g, '') : '';
  if (!new RegExp(`^\\d{${CODE_DIGITS}}$`).test(digits)) throw badInput(`code must be ${CODE_DIGITS} digits.`, { field: 'code' });
  return finishSignIn(deps, { kind: 'code', challengeId: challengeId.toLowerCase(), code: digits });
}

/**
 * Exchanges a magic-link token for a session: the same rules as verifySignInCode, found by the
 * token's hash. Single use: a second redemption is INVALID_CODE; a challenge killed by wrong codes
 * kills its link too.
 */
export async function redeemMagicLink(deps: FinishSignInDeps, token: string): Promise<OpenedSession> {
  if (typeof token !== 'string' || !LINK_TOKEN_PATTERN.test(token)) throw invalidCode();
  return finishSignIn(deps, { kind: 'link', tokenHash: linkTokenHash(token) });
}

async function finishSignIn(deps: FinishSignInDeps, proof: Proof): Promise<OpenedSession> {
  const outcome = await deps.db.$transaction(async (tx): Promise<Outcome> => {
    const rows =
      proof.kind === 'code'
        ? await tx.$queryRaw<ChallengeLock[]>`
            SELECT id::text AS id, tenant_id::text AS tenant_id, customer_id::text AS customer_id, code_hash, code_of::text AS code_of, attempts, max_attempts, expires_at, consumed_at
              FROM identity.sign_in_challenge WHERE id = ${proof.challengeId}::uuid FOR UPDATE`
        : await tx.$queryRaw<ChallengeLock[]>`
            SELECT id::text AS id, tenant_id::text AS tenant_id, customer_id::text AS customer_id, code_hash, code_of::text AS code_of, attempts, max_attempts, expires_at, consumed_at
              FROM identity.sign_in_challenge WHERE link_token_hash = ${proof.tokenHash} FOR UPDATE`;
    const challenge = rows[0];
    if (!challenge || challenge.consumed_at || challenge.expires_at.getTime() <= Date.now()) return { kind: 'invalid' };
    if (challenge.attempts >= challenge.max_attempts) return { kind: 'too-many' };
    const tenant = await tx.tenant.findUnique({ where: { id: challenge.tenant_id }, select: { status: true } });
    if (tenant && tenant.status !== 'ACTIVE') return { kind: 'suspended' };

    // The challenge whose code this is: itself, or the delivered one it was held for.
    const owner = challenge.code_of
      ? await tx.signInChallenge.findUnique({ where: { id: challenge.code_of }, select: { id: true, codeHash: true } })
      : { id: challenge.id, codeHash: challenge.code_hash };
    // Computed for every challenge, with or without a customer, so both take the same time.
    const codeMatches = proof.kind === 'link' || (owner !== null && digestsEqual(codeHash(deps.vault, owner.id, proof.code), owner.codeHash));
    const customer = challenge.customer_id
      ? await tx.customer.findUnique({ where: { id: challenge.customer_id }, select: { id: true, tenantId: true, status: true } })
      : null;
    const eligible = owner !== null && customer !== null && customer.status === 'ACTIVE' && customer.tenantId === challenge.tenant_id;

    if (!codeMatches || !eligible) {
      // A link token is 256 random bits: nothing to guess, so only codes spend attempts.
      if (proof.kind === 'link') return { kind: 'invalid' };
      const [spent] = await tx.$queryRaw<{ attempts: number }[]>`
        UPDATE identity.sign_in_challenge SET attempts = attempts + 1 WHERE id = ${challenge.id}::uuid RETURNING attempts`;
      const left = challenge.max_attempts - (spent?.attempts ?? challenge.max_attempts);
      return left <= 0 ? { kind: 'too-many' } : { kind: 'invalid', attemptsLeft: left };
    }

    // Single use, decided by the database: only one redemption flips consumed_at of the code's challenge.
    const consumed = await tx.$queryRaw<{ id: string }[]>`
      UPDATE identity.sign_in_challenge SET consumed_at = now()
       WHERE id = ${owner.id}::uuid AND consumed_at IS NULL AND expires_at > now()
       RETURNING id::text AS id`;
    if (consumed.length === 0) return { kind: 'invalid' };
    if (owner.id !== challenge.id) {
      await tx.$executeRaw`UPDATE identity.sign_in_challenge SET consumed_at = now() WHERE id = ${challenge.id}::uuid AND consumed_at IS NULL`;
    }
    const opened = await startSession(
      tx,
      { subject: customer.id, kind: 'customer', tenantId: challenge.tenant_id, scopes: [...CUSTOMER_SCOPES] },
      deps.sessionPolicy,
      { amr: [...OTP_AMR], challengeId: challenge.id },
    );
    return { kind: 'opened', opened };
  });

  const via = proof.kind;
  switch (outcome.kind) {
    case 'opened':
      deps.logger?.info({ challengeId: outcome.opened.session.challengeId, sessionId: outcome.opened.session.id, via }, 'sign-in succeeded');
      return outcome.opened;
    case 'suspended':
      deps.logger?.info({ ...(proof.kind === 'code' ? { challengeId: proof.challengeId } : {}), via }, 'sign-in refused: the tenant is suspended');
      throw tenantSuspended();
    case 'too-many':
      deps.logger?.info({ ...(proof.kind === 'code' ? { challengeId: proof.challengeId } : {}), via }, 'sign-in refused: too many attempts');
      throw new DomainError('TOO_MANY_ATTEMPTS');
    case 'invalid':
      deps.logger?.info({ ...(proof.kind === 'code' ? { challengeId: proof.challengeId } : {}), via, attemptsLeft: outcome.attemptsLeft }, 'sign-in refused: invalid code');
      throw invalidCode(outcome.attemptsLeft);
  }
}
