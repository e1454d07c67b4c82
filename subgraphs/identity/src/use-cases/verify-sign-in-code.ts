import { badInput } from '@baas/errors';
import { isUuid } from '@baas/server';
import { CODE_DIGITS } from '../domain/sign-in-secrets';
import { redeemSignInChallenge, type FinishSignInDeps, type OpenedSession } from './redeem-sign-in-challenge';

/**
 * Exchanges a one-time code for a session of the challenge's customer (redeemSignInChallenge's rules).
 * Anonymous: the caller has no token yet. BAD_USER_INPUT for a malformed challenge id or code.
 */
export async function verifySignInCode(deps: FinishSignInDeps, challengeId: string, code: string): Promise<OpenedSession> {
  if (typeof challengeId !== 'string' || !isUuid(challengeId)) throw badInput('challengeId must be a UUID.', { field: 'challengeId' });
  const digits = typeof code === 'string' ? code.replace(/[\s-]/g, '') : '';
  if (!new RegExp(`^\\d{${CODE_DIGITS}}$`).test(digits)) throw badInput(`code must be ${CODE_DIGITS} digits.`, { field: 'code' });
  return redeemSignInChallenge(deps, { kind: 'code', challengeId: challengeId.toLowerCase(), code: digits });
}
