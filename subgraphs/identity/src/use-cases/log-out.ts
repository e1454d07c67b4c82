import { unauthenticated } from '@baas/errors';
import type { IdentityDeps } from './deps';

/** Ends the session a refresh token belongs to; UNAUTHENTICATED for an unknown token. */
export async function logOut(deps: Pick<IdentityDeps, 'stores'>, args: { refreshToken: string }): Promise<true> {
  const session = await deps.stores.sessions.ofRefreshToken(args.refreshToken);
  if (!session) throw unauthenticated('The refresh token is not valid.');
  await deps.stores.sessions.revoke(session.id, 'LOGOUT');
  return true;
}
