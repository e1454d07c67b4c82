import { PiiError } from './errors';

export const KEY_BYTES = 32;

// Key ids travel inside the sealed string, so they must not contain its '.' separator nor the
// ':' and ',' of the config spec; a short bound keeps stored values small.
const KEY_ID = /^[A-Za-z0-9_-]{1,32}$/;
const BASE64 = /^[A-Za-z0-9+/]*={0,2}$/;

/** Throws INVALID_KEY_ID unless `keyId` fits the sealed format. */
export function assertKeyId(options: { keyId: string }): void {
  if (typeof options.keyId !== 'string' || !KEY_ID.test(options.keyId)) {
    throw new PiiError('INVALID_KEY_ID', 'PII key id must be 1-32 characters of A-Z, a-z, 0-9, "_" or "-"');
  }
}

/**
 * Decodes standard base64 of exactly 32 bytes; `label` names the key in the error (never its value).
 * Node's decoder silently skips bad characters, so the text is checked and re-encoded first: a typo
 * in a key must fail loudly rather than yield a different key.
 */
export function decodeKey(options: { base64: string; label: string }): Buffer {
  const { base64, label } = options;
  const text = typeof base64 === 'string' ? base64.trim() : '';
  const bytes = BASE64.test(text) ? Buffer.from(text, 'base64') : undefined;
  if (bytes === undefined || bytes.toString('base64').replace(/=+$/, '') !== text.replace(/=+$/, '')) {
    throw new PiiError('INVALID_KEY', `${label} is not valid base64`);
  }
  if (bytes.length !== KEY_BYTES) {
    throw new PiiError('INVALID_KEY', `${label} must be ${KEY_BYTES} bytes, got ${bytes.length}`);
  }
  return bytes;
}
