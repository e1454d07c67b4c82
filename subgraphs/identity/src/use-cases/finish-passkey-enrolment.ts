import type { Identity } from '@baas/auth';
import { DomainError, forbidden } from '@baas/errors';
import { recoveryRequired, type EnrolmentRoute } from '../domain/passkey-enrolment';
import { asDomainError, finishPasskeyRegistration, type RegistrationResponseJSON, type StoredPasskey } from '../domain/webauthn/index';
import { requireCustomer } from '../permissions';
import { isDuplicatePasskey, storedPasskey, type PasskeyRow } from '../store/passkey-store';
import { claimPasskeyChallenge } from './claim-passkey-challenge';
import { CUSTOMER_IDENTIFIERS_SUBJECT, passkeyIdentifier, type CustomerIdentifiersEvent } from '../workers/domain-event-stream';
import type { IdentityDeps } from './deps';
import { assertCallerTenantActive } from './assert-caller-tenant-active';
import { notifyCustomer } from './notify-customer';

/**
 * Stores the new passkey after verifying the attestation. The route the registration started on is
 * re-checked inside the transaction that stores it (a recovery is used once and must not have been
 * cancelled meanwhile; a first passkey must still be the first), and the customer is notified.
 */
export async function finishPasskeyEnrolment(
  deps: Pick<IdentityDeps, 'stores' | 'vault' | 'passkeyChallenges' | 'relyingParty' | 'loaders'>,
  identity: Identity | null,
  input: { challengeId: string; response: unknown; nickname?: string | null },
): Promise<PasskeyRow> {
  // A tenant's own principal acts only while its tenant is ACTIVE.
  await assertCallerTenantActive(deps, identity);
  const who = requireCustomer(identity);
  const { pending, replay } = await claimPasskeyChallenge(deps, input.challengeId, 'register', input.response);
  if (pending.customerId !== who.subject) throw forbidden();
  const response = input.response as RegistrationResponseJSON;
  if (replay) {
    const row = typeof response?.id === 'string' ? await deps.stores.passkeys.find(response.id) : null;
    if (row && row.customerId === who.subject) return row;
    throw new DomainError('IDEMPOTENCY_KEY_IN_FLIGHT');
  }
  const route: EnrolmentRoute | undefined = pending.route;
  if (!route) throw recoveryRequired(); // a challenge from before the rule: start again
  const existing = await deps.stores.passkeys.listActive(who.subject);
  let passkey: StoredPasskey;
  try {
    passkey = await finishPasskeyRegistration({
      response,
      expectedChallenge: pending.challenge,
      rpId: deps.relyingParty.rpId,
      origin: deps.relyingParty.origins,
      existing: existing.map(storedPasskey),
    });
  } catch (error) {
    throw asDomainError(error);
  }
  const nickname = input.nickname?.trim().slice(0, 64) || null;
  try {
    return await deps.stores.transaction(async (tx) => {
      await tx.customers.lockForUpdate(who.subject);
      if (route.kind === 'RECOVERY') {
        if (!(await tx.recoveries.complete(route.recoveryId, who.subject))) throw recoveryRequired();
      } else if (route.kind === 'FIRST_PASSKEY' && (await tx.passkeys.countEver(who.subject)) > 0) {
        throw recoveryRequired();
      }
      const row = await tx.passkeys.insert(who.tenantId, who.subject, passkey, nickname);
      await notifyCustomer(tx, deps.vault, { customerId: who.subject, template: 'passkey-added', details: { nickname: nickname ?? '', via: route.kind } });
      // Last (the outbox's trigger serialises writers from here): the credential id only as its digest.
      const event: CustomerIdentifiersEvent = { tenantId: who.tenantId, customerId: who.subject, identifiers: [passkeyIdentifier(passkey.credentialId)], at: new Date().toISOString() };
      await tx.events.append(CUSTOMER_IDENTIFIERS_SUBJECT, event);
      return row;
    });
  } catch (error) {
    if (isDuplicatePasskey(error)) throw new DomainError('CONFLICT', 'This passkey is already registered.', { reason: 'CREDENTIAL_ALREADY_REGISTERED' });
    throw error;
  }
}
