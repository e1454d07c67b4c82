import { DomainError } from '@baas/errors';
import { LINK_TOKEN_PATTERN, linkTokenHash } from '../domain/sign-in-secrets';
import { redeemSignInChallenge, type FinishSignInDeps, type OpenedSession } from './redeem-sign-in-challenge';

/**
 * Exchanges a magic-link token for a session: the same rules as verifySignInCode, found by the
 * token's hash. Single use: a second redemption is INVALID_CODE; a challenge killed by wrong codes
 * kills its link too. Anonymous: the caller has no token yet.
 */
export async function redeemMagicLink(deps: FinishSignInDeps, token: string): Promise<OpenedSession> {
  if (typeof token !== 'string' || !LINK_TOKEN_PATTERN.test(token)) throw new DomainError('INVALID_CODE');
  return redeemSignInChallenge(deps, { kind: 'link', tokenHash: linkTokenHash(token) });
}
