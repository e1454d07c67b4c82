import { createHash } from 'node:crypto';
import { isoBase64URL, parseAuthenticatorData, type ParsedAuthenticatorData } from '@simplewebauthn/server/helpers';
import { PasskeyError } from './passkey-error';

/**
 * Parses authenticator data and enforces the RP ID hash and the UP and UV flags. UV is always
 * required: a passkey here replaces a password, so the device must have checked the user's
 * biometrics or PIN, not just a touch.
 */
export function checkAuthenticatorData(opts: { authData: Uint8Array<ArrayBuffer>; rpId: string }): ParsedAuthenticatorData {
  let parsed: ParsedAuthenticatorData;
  try {
    parsed = parseAuthenticatorData(opts.authData);
  } catch (cause) {
    throw new PasskeyError('MALFORMED_RESPONSE', { cause });
  }
  const expected = createHash('sha256').update(opts.rpId, 'utf8').digest();
  if (!expected.equals(parsed.rpIdHash)) throw new PasskeyError('RP_ID_MISMATCH');
  if (!parsed.flags.up) throw new PasskeyError('USER_PRESENCE_REQUIRED');
  if (!parsed.flags.uv) throw new PasskeyError('USER_VERIFICATION_REQUIRED');
  return parsed;
}

/** base64url to bytes, rejecting anything that is not base64url as a malformed response. */
export function decodeBase64URL(value: unknown): Uint8Array<ArrayBuffer> {
  if (typeof value !== 'string' || value === '' || !isoBase64URL.isBase64URL(value)) throw new PasskeyError('MALFORMED_RESPONSE');
  return isoBase64URL.toBuffer(value);
}
