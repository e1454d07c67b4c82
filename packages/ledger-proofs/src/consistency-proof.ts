import { assertHash, isHash, sameBytes } from './bytes';
import { emptyTreeRoot, nodeHash } from './merkle-hashes';
import { subtreeRoot } from './merkle-root';
import { assertIndex, splitPoint, toSize, type SubtreeRootFn } from './tree-size';

/**
 * RFC 9162 §2.1.4.1 consistency proof PROOF(m, D[n]) that the tree over the first `oldSize` leaves is a prefix of
 * the tree over all of `leafHashes`. Empty when oldSize is 0 or equals n (nothing to prove).
 * Throws INVALID_INDEX when oldSize is outside [0, n].
 */
export function consistencyProof(leafHashes: readonly Buffer[], oldSize: number): Buffer[] {
  return consistencyProofFromSubtrees({
    oldSize,
    newSize: leafHashes.length,
    subtreeRoot: (start, end) => subtreeRoot(leafHashes, start, end),
  });
}

/** The proof of consistencyProof, asking `subtreeRoot` for the O(log n) subtree roots it needs. */
export function consistencyProofFromSubtrees(opts: {
  oldSize: number;
  newSize: number;
  subtreeRoot: SubtreeRootFn;
}): Buffer[] {
  const { oldSize, newSize } = opts;
  assertIndex(newSize, 0, Number.MAX_SAFE_INTEGER, 'newSize');
  assertIndex(oldSize, 0, newSize, 'oldSize');
  if (oldSize === 0 || oldSize === newSize) return [];
  const root = (start: number, end: number): Buffer => {
    const value = opts.subtreeRoot(start, end);
    assertHash(value, `subtreeRoot(${start}, ${end})`);
    return value;
  };
  // SUBPROOF(m, D[start:end], b) unrolled: each step appends one hash after the deeper subproof, so hashes are
  // collected top-down and reversed; the recursion ends at a subtree of exactly m leaves, whose own root is
  // included unless it is the whole old tree (b still true: the verifier already holds that root).
  const appended: Buffer[] = [];
  let start = 0;
  let end = newSize;
  let m = oldSize;
  let isOldTree = true;
  while (m !== end - start) {
    const k = splitPoint(end - start);
    if (m <= k) {
      appended.push(root(start + k, end));
      end = start + k;
    } else {
      appended.push(root(start, start + k));
      start += k;
      m -= k;
      isOldTree = false;
    }
  }
  appended.reverse();
  return isOldTree ? appended : [root(start, end), ...appended];
}

/**
 * RFC 9162 §2.1.4.2 consistency verification: true only when `proof` shows that the tree of `oldSize` leaves with
 * root `oldRoot` is a prefix of the tree of `newSize` leaves with root `newRoot`.
 * Trivial cases, where the proof must be empty: equal sizes need equal roots; oldSize 0 needs oldRoot = SHA-256("")
 * (any tree extends the empty one). Never throws: malformed input is a failed proof.
 */
export function verifyConsistency(opts: {
  oldSize: number | bigint;
  newSize: number | bigint;
  oldRoot: Buffer;
  newRoot: Buffer;
  proof: readonly Buffer[];
}): boolean {
  const first = toSize(opts.oldSize);
  const second = toSize(opts.newSize);
  if (first === undefined || second === undefined || first > second) return false;
  if (!isHash(opts.oldRoot) || !isHash(opts.newRoot) || !Array.isArray(opts.proof)) return false;
  if (!opts.proof.every(isHash)) return false;
  if (first === 0n) return opts.proof.length === 0 && sameBytes(opts.oldRoot, emptyTreeRoot());
  if (first === second) return opts.proof.length === 0 && sameBytes(opts.oldRoot, opts.newRoot);
  // 1. An empty path proves nothing.
  if (opts.proof.length === 0) return false;
  // 2. When the old tree is a perfect subtree, its root is the first node of the path; the proof leaves it out.
  const path = (first & (first - 1n)) === 0n ? [opts.oldRoot, ...opts.proof] : [...opts.proof];
  // 3.
  let fn = first - 1n;
  let sn = second - 1n;
  // 4. Skip the levels where the old tree's last node is a right child.
  while ((fn & 1n) === 1n) {
    fn >>= 1n;
    sn >>= 1n;
  }
  // 5. fr rebuilds the old root, sr the new one.
  let fr: Buffer = Buffer.from(path[0]!);
  let sr: Buffer = Buffer.from(path[0]!);
  // 6.
  for (const c of path.slice(1)) {
    // a.
    if (sn === 0n) return false;
    // b.
    if ((fn & 1n) === 1n || fn === sn) {
      fr = nodeHash(c, fr);
      sr = nodeHash(c, sr);
      if ((fn & 1n) === 0n) {
        while ((fn & 1n) === 0n && fn !== 0n) {
          fn >>= 1n;
          sn >>= 1n;
        }
      }
    } else {
      sr = nodeHash(sr, c);
    }
    // c.
    fn >>= 1n;
    sn >>= 1n;
  }
  // 7.
  return sn === 0n && sameBytes(fr, opts.oldRoot) && sameBytes(sr, opts.newRoot);
}
