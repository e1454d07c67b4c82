import { verifyRegistrationResponse, type RegistrationResponseJSON } from '@simplewebauthn/server';
import { cose, decodeAttestationObject, decodeCredentialPublicKey, isoBase64URL } from '@simplewebauthn/server/helpers';
import { checkAuthenticatorData, decodeBase64URL } from './check-authenticator-data';
import { checkClientData } from './check-client-data';
import { PasskeyError } from './passkey-error';
import { knownTransports, PASSKEY_ALGORITHM_IDS } from './supported-algorithms';
import type { StoredPasskey } from './types';

/**
 * Verifies a `navigator.credentials.create()` response against the challenge the caller stored (and
 * must already have deleted: challenges are single use) and returns the passkey to persist. Throws
 * a PasskeyError: CHALLENGE_MISMATCH, CHALLENGE_EXPIRED, ORIGIN_MISMATCH, RP_ID_MISMATCH,
 * USER_VERIFICATION_REQUIRED, UNSUPPORTED_ALGORITHM, CREDENTIAL_ALREADY_REGISTERED (when `existing`
 * is given), MALFORMED_RESPONSE or PASSKEY_VERIFICATION_FAILED. The caller must still enforce a
 * unique credentialId across all users.
 */
export async function finishPasskeyRegistration(opts: {
  response: RegistrationResponseJSON;
  expectedChallenge: string;
  rpId: string;
  origin: string | string[];
  /** For stores without a TTL: the `expiresAt` returned by startPasskeyRegistration. */
  challengeExpiresAt?: string;
  /** The user's passkeys, to refuse re-registering one (the browser should already have excluded it). */
  existing?: StoredPasskey[];
}): Promise<StoredPasskey> {
  const { response } = opts;
  checkClientData({
    credential: response,
    type: 'webauthn.create',
    expectedChallenge: opts.expectedChallenge,
    origin: opts.origin,
    ...(opts.challengeExpiresAt === undefined ? {} : { challengeExpiresAt: opts.challengeExpiresAt }),
  });
  const parsed = checkAuthenticatorData({ authData: readAuthData(response), rpId: opts.rpId });
  if (!parsed.flags.at || !parsed.credentialID || !parsed.credentialPublicKey) throw new PasskeyError('MALFORMED_RESPONSE');
  // The id the browser reports must be the one inside the signed-over authenticator data.
  if (parsed.credentialID.byteLength > 1023 || isoBase64URL.fromBuffer(parsed.credentialID) !== isoBase64URL.trimPadding(response.id)) {
    throw new PasskeyError('MALFORMED_RESPONSE');
  }
  let alg: unknown;
  try {
    alg = decodeCredentialPublicKey(parsed.credentialPublicKey).get(cose.COSEKEYS.alg);
  } catch (cause) {
    throw new PasskeyError('MALFORMED_RESPONSE', { cause });
  }
  if (typeof alg !== 'number' || !PASSKEY_ALGORITHM_IDS.includes(alg)) throw new PasskeyError('UNSUPPORTED_ALGORITHM');
  const credentialId = isoBase64URL.fromBuffer(parsed.credentialID);
  if (opts.existing?.some((p) => isoBase64URL.trimPadding(p.credentialId) === credentialId)) {
    throw new PasskeyError('CREDENTIAL_ALREADY_REGISTERED');
  }

  let verification: Awaited<ReturnType<typeof verifyRegistrationResponse>>;
  try {
    verification = await verifyRegistrationResponse({
      response,
      expectedChallenge: opts.expectedChallenge,
      expectedOrigin: opts.origin,
      expectedRPID: opts.rpId,
      requireUserVerification: true,
      supportedAlgorithmIDs: PASSKEY_ALGORITHM_IDS,
    });
  } catch (cause) {
    throw new PasskeyError('PASSKEY_VERIFICATION_FAILED', { cause });
  }
  if (!verification.verified) throw new PasskeyError('PASSKEY_VERIFICATION_FAILED');
  const info = verification.registrationInfo;
  const transports = knownTransports({ transports: response.response.transports });
  return {
    credentialId: info.credential.id,
    publicKey: isoBase64URL.fromBuffer(info.credential.publicKey),
    counter: info.credential.counter,
    ...(transports && transports.length > 0 ? { transports } : {}),
    deviceType: info.credentialDeviceType,
    backedUp: info.credentialBackedUp,
    createdAt: new Date().toISOString(),
  };
}

function readAuthData(response: RegistrationResponseJSON): Uint8Array<ArrayBuffer> {
  const attestationObject = decodeBase64URL(response.response?.attestationObject);
  try {
    const authData = decodeAttestationObject(attestationObject).get('authData');
    if (!(authData instanceof Uint8Array)) throw new TypeError('authData is not a byte string');
    return authData;
  } catch (cause) {
    throw new PasskeyError('MALFORMED_RESPONSE', { cause });
  }
}
