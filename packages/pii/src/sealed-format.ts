import { PiiError } from './errors';

export const SEALED_VERSION = 'v1';
export const IV_BYTES = 12;
export const TAG_BYTES = 16;

const BASE64URL = /^[A-Za-z0-9_-]+$/;
const KEY_ID = /^[A-Za-z0-9_-]{1,32}$/;

export type SealedParts = { keyId: string; iv: Buffer; payload: Buffer };

/** Joins the parts of `v1.<keyId>.<base64url iv>.<base64url ciphertext+tag>`. */
export function formatSealed(options: SealedParts): string {
  const { keyId, iv, payload } = options;
  return `${SEALED_VERSION}.${keyId}.${iv.toString('base64url')}.${payload.toString('base64url')}`;
}

/**
 * Splits a sealed string, refusing anything not byte-for-byte canonical: base64url has spare
 * bits in its last character, and accepting them would let two strings carry one ciphertext.
 */
export function parseSealed(options: { sealed: string }): SealedParts {
  const { sealed } = options;
  if (typeof sealed !== 'string') throw new PiiError('MALFORMED_SEALED', 'sealed PII value must be a string');
  const parts = sealed.split('.');
  if (parts.length !== 4) throw new PiiError('MALFORMED_SEALED', 'sealed PII value must have 4 dot-separated parts');
  const [version, keyId, ivText, payloadText] = parts as [string, string, string, string];
  if (version !== SEALED_VERSION) {
    throw new PiiError('UNSUPPORTED_VERSION', `sealed PII format version is not ${SEALED_VERSION}`);
  }
  if (!KEY_ID.test(keyId)) throw new PiiError('MALFORMED_SEALED', 'sealed PII value has an invalid key id');
  const iv = decodeCanonical({ text: ivText, part: 'iv' });
  const payload = decodeCanonical({ text: payloadText, part: 'ciphertext' });
  if (iv.length !== IV_BYTES) throw new PiiError('MALFORMED_SEALED', `sealed PII iv must be ${IV_BYTES} bytes`);
  if (payload.length < TAG_BYTES) throw new PiiError('MALFORMED_SEALED', 'sealed PII ciphertext is shorter than its tag');
  return { keyId, iv, payload };
}

/** Additional authenticated data: the header and the context, so neither can be swapped. */
export function buildAad(options: { keyId: string; context: string }): Buffer {
  // '\0' cannot appear in a key id or a context, so the join is unambiguous.
  return Buffer.from(`${SEALED_VERSION}.${options.keyId}\0${options.context}`, 'utf8');
}

function decodeCanonical(options: { text: string; part: string }): Buffer {
  const { text, part } = options;
  const bytes = BASE64URL.test(text) ? Buffer.from(text, 'base64url') : undefined;
  if (bytes === undefined || bytes.toString('base64url') !== text) {
    throw new PiiError('MALFORMED_SEALED', `sealed PII ${part} is not canonical base64url`);
  }
  return bytes;
}
