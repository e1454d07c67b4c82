import type { Identity } from '@baas/auth';
import { DomainError } from '@baas/errors';
import { startPasskeyAuthentication } from '../domain/webauthn/index';
import { requireCustomer } from '../permissions';
import { storedPasskey } from '../store/passkey-store';
import type { IdentityDeps } from './deps';
import { assertCallerTenantActive } from './assert-caller-tenant-active';

/** A passkey challenge for the signed-in customer's own passkeys (CONFLICT, reason NO_PASSKEY, without any). */
export async function startStepUp(deps: Pick<IdentityDeps, 'stores' | 'passkeyChallenges' | 'relyingParty' | 'loaders'>, identity: Identity | null) {
  // A tenant's own principal acts only while its tenant is ACTIVE.
  await assertCallerTenantActive(deps, identity);
  const who = requireCustomer(identity);
  const allow = await deps.stores.passkeys.listActive(who.subject);
  if (allow.length === 0) throw new DomainError('CONFLICT', 'Register a passkey first.', { reason: 'NO_PASSKEY' });
  const start = await startPasskeyAuthentication({ rpId: deps.relyingParty.rpId, allow: allow.map(storedPasskey) });
  const challengeId = await deps.passkeyChallenges.save({ ceremony: 'stepup', challenge: start.challenge, tenantId: who.tenantId, customerId: who.subject, expiresAt: start.expiresAt });
  return { challengeId, options: start.options, expiresAt: start.expiresAt };
}
