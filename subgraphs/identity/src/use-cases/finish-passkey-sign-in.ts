import type { Identity } from '@baas/auth';
import { DomainError } from '@baas/errors';
import { PASSKEY_AMR } from '../domain/amr';
import { CUSTOMER_SCOPES } from '../domain/scopes';
import { checkTenant } from '../domain/tenant-rules';
import type { AuthenticationResponseJSON } from '../domain/webauthn/index';
import type { PasskeyRow } from '../store/passkey-store';
import type { SessionRow } from '../store/session-store';
import { claimPasskeyChallenge } from './claim-passkey-challenge';
import type { IdentityDeps } from './deps';
import { verifyPasskeyAssertion } from './verify-passkey-assertion';

const failed = () => new DomainError('UNAUTHENTICATED', 'The passkey could not be verified.', { reason: 'PASSKEY_VERIFICATION_FAILED' });

/**
 * Opens a session for the customer whose passkey answered the sign-in challenge (amr hwk, a step-up
 * at once). An assertion answers its challenge once: presenting it again opens nothing. Anonymous.
 */
export async function finishPasskeySignIn(
  deps: Pick<IdentityDeps, 'stores' | 'vault' | 'relyingParty' | 'passkeyChallenges' | 'sessionPolicy'>,
  input: { challengeId: string; response: unknown },
): Promise<{ session: SessionRow; refreshToken: string; passkey: PasskeyRow }> {
  const { pending, replay } = await claimPasskeyChallenge(deps, input.challengeId, 'signin', input.response);
  // Single use, like codes.
  if (replay) throw new DomainError('UNAUTHENTICATED', 'The passkey challenge was already answered.', { reason: 'CHALLENGE_MISMATCH' });
  checkTenant(await deps.stores.tenants.find(pending.tenantId), { active: true });
  const passkey = await verifyPasskeyAssertion(deps, pending, input.response as AuthenticationResponseJSON);
  const customer = await deps.stores.customers.find(passkey.customerId);
  if (!customer || customer.status !== 'ACTIVE' || customer.tenantId !== pending.tenantId) throw failed();
  const identity: Identity = { subject: customer.id, kind: 'customer', tenantId: customer.tenantId, scopes: [...CUSTOMER_SCOPES] };
  const opened = await deps.stores.sessions.start(identity, deps.sessionPolicy, { amr: PASSKEY_AMR, challengeId: input.challengeId, sessionId: pending.sessionId, stepUp: true });
  return { ...opened, passkey };
}
