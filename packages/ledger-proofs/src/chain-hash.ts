import { createHash } from 'node:crypto';
import { assertHash, HASH_SIZE, utf8Bytes } from './bytes';

/**
 * The prevHash of journal entry 1: 32 zero bytes. A fresh Buffer is exported; do not write into it (this package
 * keeps its own copy, so doing so only breaks the caller).
 */
export const GENESIS_HASH: Buffer = Buffer.alloc(HASH_SIZE);

/**
 * Hash of one journal entry: SHA-256(prevHash || UTF-8(canonicalContent)).
 * `canonicalContent` is normally canonicalize(payload), but any string is hashed as given (no re-canonicalization).
 * Throws INVALID_HASH when prevHash is not 32 bytes and INVALID_TEXT when the content has a lone surrogate.
 */
export function chainHash(prevHash: Buffer, canonicalContent: string): Buffer {
  assertHash(prevHash, 'prevHash');
  const content = utf8Bytes(canonicalContent, 'canonicalContent');
  return createHash('sha256').update(prevHash).update(content).digest();
}
