import { DomainError } from '@baas/errors';
import { asDomainError, finishPasskeyAuthentication, type AuthenticationResponseJSON } from '../domain/webauthn/index';
import type { PendingChallenge } from '../store/passkey-challenge-store';
import { storedPasskey, type PasskeyRow } from '../store/passkey-store';
import { cancelPendingRecoveries } from './cancel-pending-recoveries';
import type { IdentityDeps } from './deps';

/**
 * Verifies an assertion against the stored passkey it names and records its new counter. The owner
 * holds a passkey after all: a pending recovery (perhaps an attacker's) ends here.
 */
export async function verifyPasskeyAssertion(
  deps: Pick<IdentityDeps, 'stores' | 'vault' | 'relyingParty'>,
  pending: PendingChallenge,
  response: AuthenticationResponseJSON,
  expectCustomer?: string,
): Promise<PasskeyRow> {
  const row = typeof response?.id === 'string' ? await deps.stores.passkeys.find(response.id) : null;
  // One answer for unknown, removed, other tenant's and other customer's passkeys.
  if (!row || row.removedAt || row.tenantId !== pending.tenantId || (expectCustomer && row.customerId !== expectCustomer)) {
    throw new DomainError('UNAUTHENTICATED', 'The passkey could not be verified.', { reason: 'PASSKEY_VERIFICATION_FAILED' });
  }
  let result: Awaited<ReturnType<typeof finishPasskeyAuthentication>>;
  try {
    result = await finishPasskeyAuthentication({ response, expectedChallenge: pending.challenge, rpId: deps.relyingParty.rpId, origin: deps.relyingParty.origins, passkey: storedPasskey(row) });
  } catch (error) {
    throw asDomainError(error);
  }
  const used = await deps.stores.passkeys.recordUse(row.id, { counter: result.newCounter, backedUp: result.backedUp });
  await cancelPendingRecoveries(deps, row.customerId, 'passkey');
  return used;
}
