import { timingSafeEqual } from 'node:crypto';
import { decodeClientDataJSON, type ClientDataJSON } from '@simplewebauthn/server/helpers';
import { PasskeyError } from './passkey-error';

/**
 * The client-data checks of WebAuthn §7.1/§7.2 (type, challenge, origin) done here, before the
 * library, so each failure gets its own stable code instead of a parsed library message.
 */
export function checkClientData(opts: {
  credential: { id: unknown; rawId: unknown; type: unknown; response?: { clientDataJSON?: unknown } };
  type: 'webauthn.create' | 'webauthn.get';
  expectedChallenge: string;
  challengeExpiresAt?: string;
  origin: string | string[];
  now?: Date;
}): ClientDataJSON {
  const { credential } = opts;
  if (typeof credential.id !== 'string' || credential.id === '' || credential.id !== credential.rawId || credential.type !== 'public-key') {
    throw new PasskeyError('MALFORMED_RESPONSE');
  }
  if (typeof credential.response?.clientDataJSON !== 'string') throw new PasskeyError('MALFORMED_RESPONSE');
  let clientData: ClientDataJSON;
  try {
    clientData = decodeClientDataJSON(credential.response.clientDataJSON);
  } catch (cause) {
    throw new PasskeyError('MALFORMED_RESPONSE', { cause });
  }
  if (clientData === null || typeof clientData !== 'object') throw new PasskeyError('MALFORMED_RESPONSE');
  // A signed registration replayed as a login (or the reverse) must not pass.
  if (clientData.type !== opts.type) throw new PasskeyError('UNEXPECTED_CEREMONY_TYPE');
  if (!sameString(clientData.challenge, opts.expectedChallenge)) throw new PasskeyError('CHALLENGE_MISMATCH');
  if (opts.challengeExpiresAt !== undefined) {
    const expiresAt = Date.parse(opts.challengeExpiresAt);
    if (Number.isNaN(expiresAt) || (opts.now ?? new Date()).getTime() >= expiresAt) throw new PasskeyError('CHALLENGE_EXPIRED');
  }
  const origins = Array.isArray(opts.origin) ? opts.origin : [opts.origin];
  if (typeof clientData.origin !== 'string' || !origins.includes(clientData.origin)) throw new PasskeyError('ORIGIN_MISMATCH');
  return clientData;
}

// Constant time so a guessed challenge cannot be refined byte by byte.
function sameString(actual: unknown, expected: string): boolean {
  if (typeof actual !== 'string' || expected === '') return false;
  const a = Buffer.from(actual);
  const b = Buffer.from(expected);
  return a.length === b.length && timingSafeEqual(a, b);
}
