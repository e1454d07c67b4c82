import type { Identity } from '@baas/auth';
import { assertStepUpOrDefault, stepUpRequired } from '@baas/authz';
import { forbidden } from '@baas/errors';
import { enrolmentRoute, recoveryRequired } from '../domain/passkey-enrolment';
import { startPasskeyRegistration } from '../domain/webauthn/index';
import { requireCustomer } from '../permissions';
import { storedPasskey } from '../store/passkey-store';
import type { IdentityDeps } from './deps';
import { assertCallerTenantActive } from './assert-caller-tenant-active';

/** Does the session hold a passkey confirmation fresh enough for `action` (the tenant's rule, else the platform default)? */
function freshStepUp(who: Identity, action: string, maxAgeSeconds: number): boolean {
  try {
    assertStepUpOrDefault(who, action, { maxAgeSeconds });
    return true;
  } catch {
    return false;
  }
}

/**
 * Starts registering a passkey for the signed-in customer, only along a route domain/passkey-enrolment
 * allows (a fresh step-up with an existing passkey, an effective recovery, or the first passkey right
 * after sign-up); STEP_UP_REQUIRED (ADD_PASSKEY) or FORBIDDEN (PASSKEY_RECOVERY_REQUIRED) otherwise.
 */
export async function startPasskeyEnrolment(deps: Pick<IdentityDeps, 'stores' | 'passkeyChallenges' | 'relyingParty' | 'passkeyChanges' | 'loaders'>, identity: Identity | null) {
  // A tenant's own principal acts only while its tenant is ACTIVE.
  await assertCallerTenantActive(deps, identity);
  const who = requireCustomer(identity);
  const customer = await deps.stores.customers.find(who.subject);
  if (!customer || customer.tenantId !== who.tenantId) throw forbidden('Only a signed-in customer can do this.');
  const existing = await deps.stores.passkeys.listActive(who.subject);
  const everHad = existing.length > 0 || (await deps.stores.passkeys.countEver(who.subject)) > 0;
  const recovery = await deps.stores.recoveries.effective(who.subject);
  const decision = enrolmentRoute({
    activePasskeys: existing.length,
    everHadPasskey: everHad,
    customerCreatedAt: customer.createdAt,
    effectiveRecoveryId: recovery?.id ?? null,
    stepUpFresh: freshStepUp(who, 'ADD_PASSKEY', deps.passkeyChanges.changeStepUpSeconds),
    now: new Date(),
    firstPasskeyWindowSeconds: deps.passkeyChanges.firstPasskeyWindowSeconds,
  });
  if ('refused' in decision) throw decision.refused === 'STEP_UP_REQUIRED' ? stepUpRequired('ADD_PASSKEY') : recoveryRequired();
  const start = await startPasskeyRegistration({
    rpId: deps.relyingParty.rpId,
    rpName: deps.relyingParty.rpName,
    user: { id: who.subject, name: customer.displayName, displayName: customer.displayName },
    existing: existing.map(storedPasskey),
  });
  const challengeId = await deps.passkeyChallenges.save({
    ceremony: 'register',
    challenge: start.challenge,
    tenantId: who.tenantId,
    customerId: who.subject,
    expiresAt: start.expiresAt,
    route: decision,
  });
  return { challengeId, options: start.options, expiresAt: start.expiresAt, route: decision.kind };
}
