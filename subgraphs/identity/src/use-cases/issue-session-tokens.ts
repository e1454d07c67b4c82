import type { Identity } from '@baas/auth';
import { readStepUpPolicy } from '../domain/step-up-policy';
import type { IssuedAccessToken } from '../domain/token-issuer';
import { isCustomerSession } from '../permissions';
import type { SessionRow } from '../store/session-store';
import { assertMayGetTokens } from './assert-may-get-tokens';
import type { IdentityDeps } from './deps';

const seconds = (d: Date) => Math.floor(d.getTime() / 1000);

/**
 * What every sign-in and refresh answers: an access token for the session's principal (who, how and
 * when it signed in, and the tenant's step-up policy), the next refresh token, the session. The last
 * wall: no access token for a principal of a suspended tenant, or an inactive customer, whichever flow asked.
 */
export async function issueSessionTokens(
  deps: Pick<IdentityDeps, 'loaders' | 'tokens'>,
  opened: { session: SessionRow; refreshToken: string },
): Promise<{ accessToken: IssuedAccessToken; refreshToken: string; session: SessionRow }> {
  const { session } = opened;
  const tenant = await assertMayGetTokens(deps, session);
  const policy = isCustomerSession(session) && tenant ? readStepUpPolicy(tenant.stepUpPolicy) : {};
  const identity: Identity = {
    subject: session.subject,
    kind: session.kind as Identity['kind'],
    tenantId: session.tenantId,
    scopes: session.scopes,
    authTime: seconds(session.authTime),
    amr: session.amr,
    ...(session.stepUpAt ? { stepUpAt: seconds(session.stepUpAt) } : {}),
    ...(Object.keys(policy).length ? { stepUpPolicy: policy } : {}),
  };
  return { accessToken: await deps.tokens.issue(identity), refreshToken: opened.refreshToken, session };
}
