import { verifyAuthenticationResponse, type AuthenticationResponseJSON } from '@simplewebauthn/server';
import { isoBase64URL } from '@simplewebauthn/server/helpers';
import { checkAuthenticatorData, decodeBase64URL } from './check-authenticator-data';
import { checkClientData } from './check-client-data';
import { PasskeyError } from './passkey-error';
import type { StoredPasskey } from './types';

/**
 * Verifies a `navigator.credentials.get()` response for the stored passkey it names. On success the
 * caller must persist `newCounter` (and `backedUp`) on the passkey. Throws a PasskeyError:
 * CREDENTIAL_MISMATCH, CHALLENGE_MISMATCH, CHALLENGE_EXPIRED, ORIGIN_MISMATCH, RP_ID_MISMATCH,
 * USER_VERIFICATION_REQUIRED, BACKUP_ELIGIBILITY_CHANGED, PASSKEY_VERIFICATION_FAILED (bad
 * signature), COUNTER_REGRESSION (a validly signed assertion whose counter did not advance: likely a
 * cloned authenticator, so the caller may want to flag the passkey) or MALFORMED_RESPONSE.
 */
export async function finishPasskeyAuthentication(opts: {
  response: AuthenticationResponseJSON;
  expectedChallenge: string;
  rpId: string;
  origin: string | string[];
  passkey: StoredPasskey;
  /** For stores without a TTL: the `expiresAt` returned by startPasskeyAuthentication. */
  challengeExpiresAt?: string;
}): Promise<{ newCounter: number; userVerified: boolean; backedUp: boolean }> {
  const { response, passkey } = opts;
  if (typeof response?.id !== 'string' || isoBase64URL.trimPadding(response.id) !== isoBase64URL.trimPadding(passkey.credentialId)) {
    throw new PasskeyError('CREDENTIAL_MISMATCH');
  }
  checkClientData({
    credential: response,
    type: 'webauthn.get',
    expectedChallenge: opts.expectedChallenge,
    origin: opts.origin,
    ...(opts.challengeExpiresAt === undefined ? {} : { challengeExpiresAt: opts.challengeExpiresAt }),
  });
  const parsed = checkAuthenticatorData({ authData: decodeBase64URL(response.response?.authenticatorData), rpId: opts.rpId });
  // WebAuthn L3 §7.2: backup eligibility is fixed when the credential is created.
  if (parsed.flags.be !== (passkey.deviceType === 'multiDevice')) throw new PasskeyError('BACKUP_ELIGIBILITY_CHANGED');
  decodeBase64URL(response.response.signature);

  let verification: Awaited<ReturnType<typeof verifyAuthenticationResponse>>;
  try {
    verification = await verifyAuthenticationResponse({
      response,
      expectedChallenge: opts.expectedChallenge,
      expectedOrigin: opts.origin,
      expectedRPID: opts.rpId,
      requireUserVerification: true,
      // Counter 0 disables the library's counter check, which runs before the signature check: an
      // unsigned forgery must not be able to raise COUNTER_REGRESSION and get a passkey flagged as
      // cloned. The same rule is applied below once the signature is known to be good.
      credential: { id: passkey.credentialId, publicKey: decodeBase64URL(passkey.publicKey), counter: 0 },
    });
  } catch (cause) {
    throw new PasskeyError('PASSKEY_VERIFICATION_FAILED', { cause });
  }
  if (!verification.verified) throw new PasskeyError('PASSKEY_VERIFICATION_FAILED');

  const { newCounter } = verification.authenticationInfo;
  // WebAuthn §7.2 step 22: if either counter is non-zero the new one must be greater. Both zero is
  // what synced passkeys (iCloud Keychain, Google Password Manager) always send.
  if ((newCounter !== 0 || passkey.counter !== 0) && newCounter <= passkey.counter) throw new PasskeyError('COUNTER_REGRESSION');
  return {
    newCounter,
    userVerified: verification.authenticationInfo.userVerified,
    backedUp: verification.authenticationInfo.credentialBackedUp,
  };
}
