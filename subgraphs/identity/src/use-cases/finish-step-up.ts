import type { Identity } from '@baas/auth';
import { DomainError, forbidden } from '@baas/errors';
import type { AuthenticationResponseJSON } from '../domain/webauthn/index';
import { requireCustomer } from '../permissions';
import type { PasskeyRow } from '../store/passkey-store';
import type { SessionRow } from '../store/session-store';
import { claimPasskeyChallenge } from './claim-passkey-challenge';
import type { IdentityDeps } from './deps';
import { assertCallerTenantActive } from './assert-caller-tenant-active';
import { verifyPasskeyAssertion } from './verify-passkey-assertion';

/** A passkey assertion by the signed-in customer: the session's next tokens (from `refreshToken`) carry a fresh step-up time. */
export async function finishStepUp(
  deps: Pick<IdentityDeps, 'stores' | 'vault' | 'relyingParty' | 'passkeyChallenges' | 'sessionPolicy' | 'loaders'>,
  identity: Identity | null,
  input: { challengeId: string; response: unknown; refreshToken: string },
): Promise<{ session: SessionRow; refreshToken: string; passkey: PasskeyRow }> {
  // A tenant's own principal acts only while its tenant is ACTIVE.
  await assertCallerTenantActive(deps, identity);
  const who = requireCustomer(identity);
  const { pending, replay } = await claimPasskeyChallenge(deps, input.challengeId, 'stepup', input.response);
  if (replay) throw new DomainError('UNAUTHENTICATED', 'The passkey challenge was already answered.', { reason: 'CHALLENGE_MISMATCH' });
  if (pending.customerId !== who.subject) throw forbidden();
  const passkey = await verifyPasskeyAssertion(deps, pending, input.response as AuthenticationResponseJSON, who.subject);
  const next = await deps.stores.sessions.refresh(input.refreshToken, deps.sessionPolicy, { stepUpFor: { subject: who.subject } });
  return { ...next, passkey };
}
