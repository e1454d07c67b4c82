import { assertCanAccess, requireIdentity, type Identity } from '@baas/auth';
import { assertStepUpOrDefault, stepUpRequired } from '@baas/authz';
import { DomainError, forbidden } from '@baas/errors';
import { finishPasskeyRegistration, startPasskeyRegistration, type RegistrationResponseJSON, type StoredPasskey } from '../passkeys/index';
import { enrolmentRoute, type EnrolmentRoute } from '../domain/passkey-enrolment';
import {
  asDomainError,
  claimChallenge,
  customerPasskeys,
  requireCustomer,
  saveChallenge,
  storedPasskey,
  type PasskeyDeps,
  type PasskeyRow,
} from '../services/passkey-service';
import { notifyCustomer } from './notify-customer';
import { effectiveRecovery } from './passkey-recovery';

const recoveryRequired = () =>
  new DomainError('FORBIDDEN', 'This customer has no passkey: ask for a passkey recovery (requestPasskeyRecovery) and register once it takes effect.', {
    reason: 'PASSKEY_RECOVERY_REQUIRED',
  });

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
export async function startRegistration(deps: PasskeyDeps, identity: Identity | null) {
  const who = requireCustomer(identity);
  const customer = await deps.db.customer.findUnique({ where: { id: who.subject }, select: { id: true, tenantId: true, displayName: true, createdAt: true } });
  if (!customer || customer.tenantId !== who.tenantId) throw forbidden('Only a signed-in customer can do this.');
  const existing = await customerPasskeys(deps.db, who.subject);
  const everHad = existing.length > 0 || (await deps.db.passkeyCredential.count({ where: { customerId: who.subject } })) > 0;
  const recovery = await effectiveRecovery(deps.db, who.subject);
  const decision = enrolmentRoute({
    activePasskeys: existing.length,
    everHadPasskey: everHad,
    customerCreatedAt: customer.createdAt,
    effectiveRecoveryId: recovery?.id ?? null,
    stepUpFresh: freshStepUp(who, 'ADD_PASSKEY', deps.changes.changeStepUpSeconds),
    now: new Date(),
    firstPasskeyWindowSeconds: deps.changes.firstPasskeyWindowSeconds,
  });
  if ('refused' in decision) throw decision.refused === 'STEP_UP_REQUIRED' ? stepUpRequired('ADD_PASSKEY') : recoveryRequired();
  const start = await startPasskeyRegistration({
    rpId: deps.rpId,
    rpName: deps.rpName,
    user: { id: who.subject, name: customer.displayName, displayName: customer.displayName },
    existing: existing.map(storedPasskey),
  });
  const challengeId = await saveChallenge(deps, {
    ceremony: 'register',
    challenge: start.challenge,
    tenantId: who.tenantId,
    customerId: who.subject,
    expiresAt: start.expiresAt,
    route: decision,
  });
  return { challengeId, options: start.options, expiresAt: start.expiresAt, route: decision.kind };
}

/**
 * Stores the new passkey after verifying the attestation. The route the registration started on is
 * re-checked inside the transaction that stores it (a recovery is used once and must not have been
 * cancelled meanwhile; a first passkey must still be the first), and the customer is notified.
 */
export async function finishRegistration(deps: PasskeyDeps, identity: Identity | null, input: { challengeId: string; response: unknown; nickname?: string | null }): Promise<PasskeyRow> {
  const who = requireCustomer(identity);
  const { pending, replay } = await claimChallenge(deps, input.challengeId, 'register', input.response);
  if (pending.customerId !== who.subject) throw forbidden();
  const response = input.response as RegistrationResponseJSON;
  if (replay) {
    const row = typeof response?.id === 'string' ? await deps.db.passkeyCredential.findUnique({ where: { id: response.id } }) : null;
    if (row && row.customerId === who.subject) return row;
    throw new DomainError('IDEMPOTENCY_KEY_IN_FLIGHT');
  }
  const route: EnrolmentRoute | undefined = pending.route;
  if (!route) throw recoveryRequired(); // a challenge from before the rule: start again
  const existing = await customerPasskeys(deps.db, who.subject);
  let passkey: StoredPasskey;
  try {
    passkey = await finishPasskeyRegistration({ response, expectedChallenge: pending.challenge, rpId: deps.rpId, origin: deps.origins, existing: existing.map(storedPasskey) });
  } catch (error) {
    throw asDomainError(error);
  }
  const nickname = input.nickname?.trim().slice(0, 64) || null;
  try {
    return await deps.db.$transaction(async (tx) => {
      await tx.$queryRaw`SELECT id FROM identity.customer WHERE id = ${who.subject}::uuid FOR UPDATE`;
      if (route.kind === 'RECOVERY') {
        const used = await tx.$queryRaw<{ id: string }[]>`
          UPDATE identity.passkey_recovery SET completed_at = now()
           WHERE id = ${route.recoveryId}::uuid AND customer_id = ${who.subject}::uuid
             AND cancelled_at IS NULL AND completed_at IS NULL AND effective_at <= now()
           RETURNING id::text AS id`;
        if (used.length === 0) throw recoveryRequired();
      } else if (route.kind === 'FIRST_PASSKEY' && (await tx.passkeyCredential.count({ where: { customerId: who.subject } })) > 0) {
        throw recoveryRequired();
      }
      const row = await tx.passkeyCredential.create({
        data: {
          id: passkey.credentialId,
          tenantId: who.tenantId,
          customerId: who.subject,
          publicKey: Buffer.from(passkey.publicKey, 'base64url'),
          counter: BigInt(passkey.counter),
          transports: passkey.transports ?? [],
          deviceType: passkey.deviceType,
          backedUp: passkey.backedUp,
          nickname,
        },
      });
      await notifyCustomer(tx, deps.vault, { customerId: who.subject, template: 'passkey-added', details: { nickname: nickname ?? '', via: route.kind } });
      return row;
    });
  } catch (error) {
    if ((error as { code?: string }).code === 'P2002') throw new DomainError('CONFLICT', 'This passkey is already registered.', { reason: 'CREDENTIAL_ALREADY_REGISTERED' });
    throw error;
  }
}

/**
 * Removes a passkey. The customer needs a fresh confirmation with a passkey (REMOVE_PASSKEY: the
 * tenant's rule, else PASSKEY_CHANGE_STEP_UP_SECONDS): a code session alone cannot strip the owner's
 * passkeys. Operators (support) may remove any. The customer is notified; a repeat is harmless.
 */
export async function removePasskey(deps: Pick<PasskeyDeps, 'db' | 'vault' | 'changes'>, identity: Identity | null, id: string): Promise<PasskeyRow> {
  const who = requireIdentity(identity);
  const row = typeof id === 'string' && id.length <= 1400 ? await deps.db.passkeyCredential.findUnique({ where: { id } }) : null;
  if (!row) throw forbidden();
  assertCanAccess(who, { tenantId: row.tenantId, customerId: row.customerId });
  if (who.kind !== 'operator') {
    if (who.kind !== 'customer') throw forbidden();
    assertStepUpOrDefault(who, 'REMOVE_PASSKEY', { maxAgeSeconds: deps.changes.changeStepUpSeconds });
  }
  if (row.removedAt) return row;
  return deps.db.$transaction(async (tx) => {
    const removed = await tx.passkeyCredential.update({ where: { id: row.id }, data: { removedAt: new Date() } });
    await notifyCustomer(tx, deps.vault, { customerId: row.customerId, template: 'passkey-removed', details: { nickname: row.nickname ?? '', by: who.kind } });
    return removed;
  });
}
