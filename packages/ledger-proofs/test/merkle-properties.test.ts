import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import fc from 'fast-check';
import {
  consistencyProof,
  consistencyProofFromSubtrees,
  inclusionProof,
  inclusionProofFromSubtrees,
  isLedgerProofError,
  leafHash,
  merkleRoot,
  verifyConsistency,
  verifyInclusion,
} from '../src/index';
import { naiveConsistency, naiveMth, naivePath } from './naive-merkle';

// Leaf data stands for journal entry hashes: 32 bytes each, derived from a seed so a failing case is reproducible.
function leafData(seed: number, count: number): Buffer[] {
  return Array.from({ length: count }, (_, i) => createHash('sha256').update(`${seed}:${i}`).digest());
}

function flipBit(bytes: Buffer, bit: number): Buffer {
  const copy = Buffer.from(bytes);
  copy[(bit >> 3) % copy.length]! ^= 1 << (bit & 7);
  return copy;
}

const hexes = (list: Buffer[]) => list.map((b) => b.toString('hex'));
const EDGE_SIZES = [1, 2, 3, 4, 5, 7, 8, 9, 15, 16, 17, 31, 32, 33, 63, 64, 65, 127, 128, 129, 255, 256, 257, 300];
const tree = fc.record({ size: fc.integer({ min: 1, max: 300 }), seed: fc.nat(), bit: fc.nat({ max: 255 }) });

describe('Merkle tree properties (fast-check, leaf counts 1..300)', () => {
  it('every index has an inclusion proof that verifies and equals the naive PATH(m, D[n])', () => {
    fc.assert(
      fc.property(tree, ({ size, seed }) => {
        const data = leafData(seed, size);
        const leaves = data.map((d) => leafHash(d));
        const rootHash = merkleRoot(leaves);
        assert.deepEqual(rootHash, naiveMth(data));
        for (let index = 0; index < size; index++) {
          const proof = inclusionProof(leaves, index);
          if (index % 7 === 0) assert.deepEqual(hexes(proof), hexes(naivePath(index, data)), `${index} of ${size}`);
          assert.ok(verifyInclusion({ leafHash: leaves[index]!, index, treeSize: size, proof, rootHash }), `${index}/${size}`);
        }
      }),
      { numRuns: 25, examples: EDGE_SIZES.map((size) => [{ size, seed: size, bit: 0 }]) },
    );
  });

  it('an inclusion proof fails for a flipped bit in the leaf, any path node or the root, or a wrong index', () => {
    fc.assert(
      fc.property(tree, ({ size, seed, bit }) => {
        const leaves = leafData(seed, size).map((d) => leafHash(d));
        const rootHash = merkleRoot(leaves);
        for (let index = 0; index < size; index++) {
          const proof = inclusionProof(leaves, index);
          const good = { leafHash: leaves[index]!, index, treeSize: size, proof, rootHash };
          const label = `index ${index} of ${size}`;
          assert.equal(verifyInclusion({ ...good, leafHash: flipBit(good.leafHash, bit + index) }), false, label);
          assert.equal(verifyInclusion({ ...good, rootHash: flipBit(rootHash, bit + index) }), false, label);
          for (let i = 0; i < proof.length; i++) {
            const tampered = proof.map((node, j) => (j === i ? flipBit(node, bit + j) : node));
            assert.equal(verifyInclusion({ ...good, proof: tampered }), false, `${label}, path[${i}]`);
          }
          for (const wrong of [index - 1, index + 1, index ^ 1, index ^ 2]) {
            if (wrong === index || wrong < 0) continue;
            assert.equal(verifyInclusion({ ...good, index: wrong }), false, `${label} claimed as ${wrong}`);
          }
          // Another leaf's hash at this position, a longer or shorter path, a tree twice or half as tall.
          if (size > 1) {
            assert.equal(verifyInclusion({ ...good, leafHash: leaves[(index + 1) % size]! }), false, label);
            assert.equal(verifyInclusion({ ...good, proof: proof.slice(0, -1) }), false, label);
          }
          assert.equal(verifyInclusion({ ...good, proof: [...proof, rootHash] }), false, label);
          assert.equal(verifyInclusion({ ...good, proof: [rootHash, ...proof] }), false, label);
          assert.equal(verifyInclusion({ ...good, treeSize: size * 2 }), false, label);
          assert.equal(verifyInclusion({ ...good, treeSize: Math.floor(size / 2) }), false, label);
        }
      }),
      { numRuns: 15, examples: [1, 2, 3, 5, 8, 13, 256, 257].map((size) => [{ size, seed: size, bit: 3 }]) },
    );
  });

  it('consistency proofs verify for every old size and match the naive PROOF(m, D[n])', () => {
    fc.assert(
      fc.property(tree, ({ size, seed }) => {
        const data = leafData(seed, size);
        const leaves = data.map((d) => leafHash(d));
        const newRoot = merkleRoot(leaves);
        for (let oldSize = 0; oldSize <= size; oldSize++) {
          const proof = consistencyProof(leaves, oldSize);
          if (oldSize % 5 === 0) assert.deepEqual(hexes(proof), hexes(naiveConsistency(oldSize, data)));
          const oldRoot = merkleRoot(leaves.slice(0, oldSize));
          assert.ok(verifyConsistency({ oldSize, newSize: size, oldRoot, newRoot, proof }), `${oldSize} → ${size}`);
        }
      }),
      { numRuns: 20, examples: EDGE_SIZES.map((size) => [{ size, seed: size, bit: 0 }]) },
    );
  });

  it('a consistency proof fails for a flipped bit, a wrong root or wrong sizes', () => {
    fc.assert(
      fc.property(tree, ({ size, seed, bit }) => {
        const leaves = leafData(seed, size).map((d) => leafHash(d));
        const newRoot = merkleRoot(leaves);
        for (let oldSize = 1; oldSize < size; oldSize++) {
          const proof = consistencyProof(leaves, oldSize);
          const oldRoot = merkleRoot(leaves.slice(0, oldSize));
          const good = { oldSize, newSize: size, oldRoot, newRoot, proof };
          const label = `${oldSize} → ${size}`;
          assert.equal(verifyConsistency({ ...good, oldRoot: flipBit(oldRoot, bit) }), false, label);
          assert.equal(verifyConsistency({ ...good, newRoot: flipBit(newRoot, bit) }), false, label);
          assert.equal(verifyConsistency({ ...good, oldRoot: newRoot, newRoot: oldRoot }), false, label);
          for (let i = 0; i < proof.length; i++) {
            const tampered = proof.map((node, j) => (j === i ? flipBit(node, bit + j) : node));
            assert.equal(verifyConsistency({ ...good, proof: tampered }), false, `${label}, proof[${i}]`);
          }
          assert.equal(verifyConsistency({ ...good, proof: [] }), false, label);
          assert.equal(verifyConsistency({ ...good, proof: proof.slice(0, -1) }), false, label);
          assert.equal(verifyConsistency({ ...good, proof: [...proof, newRoot] }), false, label);
          assert.equal(verifyConsistency({ ...good, proof: [proof[0]!, ...proof] }), false, label);
          for (const wrong of [oldSize - 1, oldSize + 1, oldSize ^ 2]) {
            if (wrong === oldSize) continue;
            assert.equal(verifyConsistency({ ...good, oldSize: wrong }), false, `${label} claimed from ${wrong}`);
          }
          assert.equal(verifyConsistency({ ...good, newSize: size * 2 }), false, label);
        }
      }),
      { numRuns: 12, examples: [2, 3, 5, 8, 9, 100].map((size) => [{ size, seed: size, bit: 5 }]) },
    );
  });

  it('proofs built from stored subtree roots equal the in-memory ones', () => {
    fc.assert(
      fc.property(tree, ({ size, seed }) => {
        const leaves = leafData(seed, size).map((d) => leafHash(d));
        const subtreeRoot = (start: number, end: number) => {
          // The promise made to a store of perfect subtrees: any other range ends at the tree size.
          const width = end - start;
          const perfect = (width & (width - 1)) === 0 && start % width === 0;
          assert.ok(perfect || end === size, `asked for [${start}, ${end}) of ${size}`);
          return merkleRoot(leaves.slice(start, end));
        };
        for (let index = 0; index < size; index += 3) {
          const fromStore = inclusionProofFromSubtrees({ index, treeSize: size, subtreeRoot });
          assert.deepEqual(fromStore, inclusionProof(leaves, index));
        }
        for (let oldSize = 0; oldSize <= size; oldSize += 3) {
          const fromStore = consistencyProofFromSubtrees({ oldSize, newSize: size, subtreeRoot });
          assert.deepEqual(fromStore, consistencyProof(leaves, oldSize));
        }
      }),
      { numRuns: 15 },
    );
  });

  it('refuses out-of-range indexes and malformed leaves', () => {
    const leaves = leafData(1, 5).map((d) => leafHash(d));
    const index = (e: unknown) => isLedgerProofError(e, 'INVALID_INDEX');
    assert.throws(() => inclusionProof(leaves, 5), index);
    assert.throws(() => inclusionProof(leaves, -1), index);
    assert.throws(() => inclusionProof(leaves, 1.5), index);
    assert.throws(() => inclusionProof([], 0), index);
    assert.throws(() => consistencyProof(leaves, 6), index);
    assert.throws(() => merkleRoot([Buffer.alloc(31)]), (e) => isLedgerProofError(e, 'INVALID_HASH'));
    assert.throws(
      () => inclusionProofFromSubtrees({ index: 0, treeSize: 2, subtreeRoot: () => Buffer.alloc(3) }),
      (e) => isLedgerProofError(e, 'INVALID_HASH'),
    );
  });

  it('merkleRoot returns a fresh Buffer, never one of the caller leaves', () => {
    const leaves = leafData(2, 1).map((d) => leafHash(d));
    const root = merkleRoot(leaves);
    assert.deepEqual(root, leaves[0]);
    assert.notEqual(root, leaves[0]);
  });
});
