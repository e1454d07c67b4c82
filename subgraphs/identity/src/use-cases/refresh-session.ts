import type { IdentityDeps } from './deps';
import { assertMayGetTokens } from './assert-may-get-tokens';
import { issueSessionTokens } from './issue-session-tokens';

/**
 * Rotates a refresh token (store/session-store refresh: a reused one revokes the family) and answers
 * new tokens. Checked before the token is spent: a suspended tenant's sessions get no new tokens, and
 * keep their refresh token.
 */
export async function refreshSession(deps: Pick<IdentityDeps, 'stores' | 'loaders' | 'tokens' | 'sessionPolicy'>, args: { refreshToken: string }) {
  const current = await deps.stores.sessions.ofRefreshToken(args.refreshToken);
  if (current && !current.revokedAt) await assertMayGetTokens(deps, current);
  return issueSessionTokens(deps, await deps.stores.sessions.refresh(args.refreshToken, deps.sessionPolicy));
}
