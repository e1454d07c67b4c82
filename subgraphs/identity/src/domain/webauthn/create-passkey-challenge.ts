import { randomBytes } from 'node:crypto';

/** Redis TTL of a pending passkey challenge; also the browser-side ceremony timeout. */
export const PASSKEY_CHALLENGE_TTL_SECONDS = 300;

/**
 * A fresh ceremony challenge: 32 random bytes (the library would otherwise pick its own, which the
 * caller could not store before sending) and when it stops being acceptable.
 */
export function createPasskeyChallenge(opts: { now?: Date } = {}): { bytes: Uint8Array<ArrayBuffer>; challenge: string; expiresAt: string } {
  const bytes = new Uint8Array(randomBytes(32));
  const now = opts.now ?? new Date();
  return {
    bytes,
    challenge: Buffer.from(bytes).toString('base64url'),
    expiresAt: new Date(now.getTime() + PASSKEY_CHALLENGE_TTL_SECONDS * 1000).toISOString(),
  };
}
