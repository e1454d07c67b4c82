import { createHash } from 'node:crypto';
import { assertHash } from './bytes';

const LEAF_PREFIX = Buffer.from([0x00]);
const NODE_PREFIX = Buffer.from([0x01]);

/**
 * RFC 9162 §2.1.1 leaf hash: SHA-256(0x00 || data). For the ledger, data is an entry's 32-byte chain hash.
 * The 0x00/0x01 prefixes keep a leaf from ever being passed off as an interior node (second-preimage attacks).
 */
export function leafHash(data: Buffer): Buffer {
  return createHash('sha256').update(LEAF_PREFIX).update(data).digest();
}

/** RFC 9162 §2.1.1 interior node hash: SHA-256(0x01 || left || right); both children must be 32 bytes. */
export function nodeHash(left: Buffer, right: Buffer): Buffer {
  assertHash(left, 'left');
  assertHash(right, 'right');
  return createHash('sha256').update(NODE_PREFIX).update(left).update(right).digest();
}

/** MTH({}) of the empty tree: SHA-256 of the empty string (e3b0c442…b855). A fresh Buffer on every call. */
export function emptyTreeRoot(): Buffer {
  return createHash('sha256').digest();
}
