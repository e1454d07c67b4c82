import { generateAuthenticationOptions, type PublicKeyCredentialRequestOptionsJSON } from '@simplewebauthn/server';
import { createPasskeyChallenge, PASSKEY_CHALLENGE_TTL_SECONDS } from './create-passkey-challenge';
import { knownTransports } from './supported-algorithms';
import type { PasskeyCeremonyStart, StoredPasskey } from './types';

/**
 * Options for `navigator.credentials.get()`, requiring user verification. Without `allow` the
 * browser offers any discoverable passkey for the RP (username-less sign-in, then look the passkey
 * up by the response's credential id); with it, only those credentials are accepted.
 */
export async function startPasskeyAuthentication(opts: {
  rpId: string;
  allow?: StoredPasskey[];
}): Promise<PasskeyCeremonyStart<PublicKeyCredentialRequestOptionsJSON>> {
  const { bytes, challenge, expiresAt } = createPasskeyChallenge();
  const options = await generateAuthenticationOptions({
    rpID: opts.rpId,
    challenge: bytes,
    timeout: PASSKEY_CHALLENGE_TTL_SECONDS * 1000,
    userVerification: 'required',
    ...(opts.allow
      ? {
          allowCredentials: opts.allow.map((p) => {
            const transports = knownTransports({ transports: p.transports });
            return transports ? { id: p.credentialId, transports } : { id: p.credentialId };
          }),
        }
      : {}),
  });
  return { options, challenge, expiresAt };
}
