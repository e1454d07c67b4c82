import { badInput } from '@baas/errors';
import { isUuid } from '@baas/server';
import { checkTenant } from '../domain/tenant-rules';
import { startPasskeyAuthentication } from '../domain/webauthn/index';
import type { IdentityDeps } from './deps';
import { tenantIdOf } from './require-tenant';

/**
 * Username-less sign-in: the device offers the customer's discoverable passkey for this RP. `id` is
 * the client's idempotency key (it becomes the session's id). Anonymous: the caller has no token yet.
 */
export async function startPasskeySignIn(deps: Pick<IdentityDeps, 'stores' | 'passkeyChallenges' | 'relyingParty'>, input: { id: string; tenantId: string }) {
  if (!isUuid(input.id)) throw badInput('id must be a UUID.', { field: 'id' });
  checkTenant(await deps.stores.tenants.find(tenantIdOf(input.tenantId)), { active: true });
  const start = await startPasskeyAuthentication({ rpId: deps.relyingParty.rpId });
  const challengeId = await deps.passkeyChallenges.save({
    ceremony: 'signin',
    challenge: start.challenge,
    tenantId: input.tenantId.toLowerCase(),
    sessionId: input.id.toLowerCase(),
    expiresAt: start.expiresAt,
  });
  return { challengeId, options: start.options, expiresAt: start.expiresAt };
}
