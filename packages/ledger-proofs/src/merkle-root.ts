import { hash } from 'node:crypto';
import { assertHash } from './bytes';
import { LedgerProofError } from './errors';
import { emptyTreeRoot } from './merkle-hashes';

/**
 * RFC 9162 §2.1.1 Merkle Tree Hash MTH(D[n]) over leaves already hashed with leafHash; the empty tree gives
 * SHA-256(""). Iterative, n - 1 node hashes, O(log n) memory: about 1-1.5 s per million leaves on one core.
 */
export function merkleRoot(leafHashes: readonly Buffer[]): Buffer {
  return subtreeRoot(leafHashes, 0, leafHashes.length);
}

/**
 * MTH(D[start:end]) without copying the array. Leaves left to right onto a stack of perfect subtrees (like a binary
 * counter), then the stack folded right to left: exactly the RFC's "split at the largest power of two below n".
 */
export function subtreeRoot(leafHashes: readonly Buffer[], start: number, end: number): Buffer {
  if (!Number.isSafeInteger(start) || !Number.isSafeInteger(end) || start < 0 || end < start || end > leafHashes.length) {
    throw new LedgerProofError('INVALID_INDEX', `no leaf range [${start}, ${end}) in a list of ${leafHashes.length}`);
  }
  if (start === end) return emptyTreeRoot();
  const stack: (Buffer | string)[] = [];
  for (let i = start; i < end; i++) {
    const leaf = leafHashes[i];
    assertHash(leaf, `leafHashes[${i}]`);
    let top: Buffer | string = leaf;
    for (let count = i - start + 1; count % 2 === 0; count /= 2) top = hashChildren(stack.pop()!, top);
    stack.push(top);
  }
  let root = stack.pop()!;
  while (stack.length > 0) root = hashChildren(stack.pop()!, root);
  return typeof root === 'string' ? Buffer.from(root, 'latin1') : Buffer.from(root);
}

// One reusable 0x01 || left || right buffer. Interior results stay latin1 ('binary') strings, one byte per char and
// lossless: node's one-shot hash() returns a string several times faster than a Buffer, and this loop is the cost.
const scratch = Buffer.alloc(65, 0x01);

function hashChildren(left: Buffer | string, right: Buffer | string): string {
  put(left, 1);
  put(right, 33);
  return hash('sha256', scratch, 'binary');
}

function put(node: Buffer | string, offset: number): void {
  if (typeof node === 'string') scratch.write(node, offset, 'latin1');
  else scratch.set(node, offset);
}
