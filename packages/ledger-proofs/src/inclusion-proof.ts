import { assertHash, isHash, sameBytes } from './bytes';
import { nodeHash } from './merkle-hashes';
import { subtreeRoot } from './merkle-root';
import { assertIndex, splitPoint, toSize, type SubtreeRootFn } from './tree-size';

/**
 * RFC 9162 §2.1.3.1 audit path PATH(m, D[n]) for leaf `index` (0-based) of the tree over all of `leafHashes`,
 * ordered from the leaf's sibling up to the root's child. Costs O(n) hashes; at scale, back it with stored
 * subtree roots through inclusionProofFromSubtrees. Throws INVALID_INDEX when index is outside [0, n).
 */
export function inclusionProof(leafHashes: readonly Buffer[], index: number): Buffer[] {
  return inclusionProofFromSubtrees({
    index,
    treeSize: leafHashes.length,
    subtreeRoot: (start, end) => subtreeRoot(leafHashes, start, end),
  });
}

/** The audit path of inclusionProof, asking `subtreeRoot` for the O(log n) subtree roots it needs. */
export function inclusionProofFromSubtrees(opts: {
  index: number;
  treeSize: number;
  subtreeRoot: SubtreeRootFn;
}): Buffer[] {
  const { index, treeSize } = opts;
  assertIndex(treeSize, 1, Number.MAX_SAFE_INTEGER, 'treeSize');
  assertIndex(index, 0, treeSize - 1, 'index');
  // Walk down the RFC recursion collecting the sibling of each subtree holding the leaf; reversed, that is the
  // PATH(m, D[0:k]) : MTH(D[k:n]) order (deepest sibling first).
  const siblings: Buffer[] = [];
  const root = (start: number, end: number): Buffer => {
    const value = opts.subtreeRoot(start, end);
    assertHash(value, `subtreeRoot(${start}, ${end})`);
    return value;
  };
  let start = 0;
  let end = treeSize;
  while (end - start > 1) {
    const k = splitPoint(end - start);
    if (index < start + k) {
      siblings.push(root(start + k, end));
      end = start + k;
    } else {
      siblings.push(root(start, start + k));
      start += k;
    }
  }
  return siblings.reverse();
}

/**
 * RFC 9162 §2.1.3.2 inclusion proof verification, step by step: true only when `proof` leads from `leafHash` at
 * `index` to `rootHash` for a tree of `treeSize` leaves. Never throws: malformed input (a hash that is not 32 bytes,
 * a negative or fractional index) is a failed proof.
 */
export function verifyInclusion(opts: {
  leafHash: Buffer;
  index: number | bigint;
  treeSize: number | bigint;
  proof: readonly Buffer[];
  rootHash: Buffer;
}): boolean {
  const index = toSize(opts.index);
  const treeSize = toSize(opts.treeSize);
  if (index === undefined || treeSize === undefined) return false;
  if (!isHash(opts.leafHash) || !isHash(opts.rootHash) || !Array.isArray(opts.proof)) return false;
  if (!opts.proof.every(isHash)) return false;
  // 1. leaf_index must be below tree_size.
  if (index >= treeSize) return false;
  // 2. fn = leaf_index, sn = tree_size - 1.  3. r = hash.
  let fn = index;
  let sn = treeSize - 1n;
  let r: Buffer = Buffer.from(opts.leafHash);
  // 4. For each p in inclusion_path:
  for (const p of opts.proof) {
    // a. A path longer than the tree is tall fails.
    if (sn === 0n) return false;
    // b. Right child (LSB set) or rightmost node of its level: p is the left sibling.
    if ((fn & 1n) === 1n || fn === sn) {
      r = nodeHash(p, r);
      // Climb past levels where this node had no right sibling (the ragged right edge).
      if ((fn & 1n) === 0n) {
        while ((fn & 1n) === 0n && fn !== 0n) {
          fn >>= 1n;
          sn >>= 1n;
        }
      }
    } else {
      r = nodeHash(r, p);
    }
    // c.
    fn >>= 1n;
    sn >>= 1n;
  }
  // 5. The path must end exactly at the root, with the expected hash.
  return sn === 0n && sameBytes(r, opts.rootHash);
}
