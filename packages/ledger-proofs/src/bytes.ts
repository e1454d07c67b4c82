import { LedgerProofError } from './errors';

/** Every hash in this package is SHA-256, 32 bytes. */
export const HASH_SIZE = 32;

const HEX_HASH = /^[0-9a-f]{64}$/;
// A high surrogate not followed by a low one, or a low one not preceded by a high one.
const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

/** True for a Buffer (or Uint8Array) of exactly 32 bytes. */
export function isHash(value: unknown): value is Buffer {
  return value instanceof Uint8Array && value.length === HASH_SIZE;
}

/** Throws INVALID_HASH unless `value` is 32 bytes; `what` names the argument in the message. */
export function assertHash(value: unknown, what: string): asserts value is Buffer {
  if (!isHash(value)) throw new LedgerProofError('INVALID_HASH', `${what} must be a ${HASH_SIZE}-byte Buffer`);
}

/** True when the string has no lone surrogate, i.e. its UTF-8 encoding is lossless. */
export function isWellFormedText(text: string): boolean {
  return !LONE_SURROGATE.test(text);
}

/**
 * UTF-8 bytes of `text`. Refuses lone surrogates because Buffer.from would silently turn them into U+FFFD, so two
 * different strings would hash alike.
 */
export function utf8Bytes(text: string, what: string): Buffer {
  if (typeof text !== 'string') throw new LedgerProofError('INVALID_TEXT', `${what} must be a string`);
  if (!isWellFormedText(text)) {
    throw new LedgerProofError('INVALID_TEXT', `${what} contains a lone UTF-16 surrogate; it has no UTF-8 encoding`);
  }
  return Buffer.from(text, 'utf8');
}

/** Lower-case hex of a hash; the only hex form bundles and messages use. */
export function toHex(bytes: Uint8Array): string {
  return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('hex');
}

/** Parses exactly 64 lower-case hex digits into 32 bytes, or returns undefined. */
export function parseHexHash(text: unknown): Buffer | undefined {
  return typeof text === 'string' && HEX_HASH.test(text) ? Buffer.from(text, 'hex') : undefined;
}

/** Byte equality that also accepts plain Uint8Arrays (Buffer#equals exists only on Buffers). */
export function sameBytes(a: Uint8Array, b: Uint8Array): boolean {
  return a.length === b.length && Buffer.compare(a, b) === 0;
}
