import { generateRegistrationOptions, type PublicKeyCredentialCreationOptionsJSON } from '@simplewebauthn/server';
import { createPasskeyChallenge, PASSKEY_CHALLENGE_TTL_SECONDS } from './create-passkey-challenge';
import { PasskeyError } from './passkey-error';
import { knownTransports, PASSKEY_ALGORITHM_IDS } from './supported-algorithms';
import type { PasskeyCeremonyStart, StoredPasskey } from './types';

/**
 * Options for `navigator.credentials.create()`. User verification is required (the device's
 * biometrics or PIN), a discoverable credential is preferred so the user can sign in without typing
 * a name, attestation is 'none' (no authenticator allow-list, and no extra personal data asked for),
 * and the user's existing passkeys are excluded so the same authenticator is not registered twice.
 * `user.id` becomes the WebAuthn user handle: pass an opaque internal id (max 64 bytes), never an
 * email; recover it from an assertion's `userHandle` with `userIdFromUserHandle`.
 */
export async function startPasskeyRegistration(opts: {
  rpId: string;
  rpName: string;
  user: { id: string; name: string; displayName: string };
  existing: StoredPasskey[];
}): Promise<PasskeyCeremonyStart<PublicKeyCredentialCreationOptionsJSON>> {
  const userID = new Uint8Array(Buffer.from(opts.user.id, 'utf8'));
  if (userID.byteLength === 0 || userID.byteLength > 64) throw new PasskeyError('INVALID_USER_HANDLE');
  const { bytes, challenge, expiresAt } = createPasskeyChallenge();
  const options = await generateRegistrationOptions({
    rpName: opts.rpName,
    rpID: opts.rpId,
    userID,
    userName: opts.user.name,
    userDisplayName: opts.user.displayName,
    challenge: bytes,
    timeout: PASSKEY_CHALLENGE_TTL_SECONDS * 1000,
    attestationType: 'none',
    excludeCredentials: opts.existing.map((p) => {
      const transports = knownTransports({ transports: p.transports });
      return transports ? { id: p.credentialId, transports } : { id: p.credentialId };
    }),
    authenticatorSelection: { residentKey: 'preferred', userVerification: 'required' },
    supportedAlgorithmIDs: PASSKEY_ALGORITHM_IDS,
  });
  return { options, challenge, expiresAt };
}

/** The user id given to startPasskeyRegistration, from an assertion's base64url `userHandle`. */
export function userIdFromUserHandle(opts: { userHandle: string }): string {
  return Buffer.from(opts.userHandle, 'base64url').toString('utf8');
}
