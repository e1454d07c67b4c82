import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import {
  consistencyProof,
  emptyTreeRoot,
  inclusionProof,
  leafHash,
  merkleRoot,
  nodeHash,
  verifyConsistency,
  verifyInclusion,
} from '../src/index';
import { naiveConsistency, naiveMth, naivePath } from './naive-merkle';

// The certificate-transparency / Trillian RFC 6962 test vectors, copied from google/trillian
// merkle/testonly/constants.go (LeafInputs, NodeHashes, RootHashes) and merkle/logverifier/log_verifier_test.go
// (inclusionProofs, consistencyProofs). Leaf and snapshot numbers there are 1-based.
const hex = (s: string) => Buffer.from(s, 'hex');
const LEAF_INPUTS = ['', '00', '10', '2021', '3031', '40414243', '5051525354555657', '606162636465666768696a6b6c6d6e6f'].map(hex);
const LEAF_HASHES = [
  '6e340b9cffb37a989ca544e6bb780a2c78901d3fb33738768511a30617afa01d',
  '96a296d224f285c67bee93c30f8a309157f0daa35dc5b87e410b78630a09cfc7',
  '0298d122906dcfc10892cb53a73992fc5b9f493ea4c9badb27b791b4127a7fe7',
  '07506a85fd9dd2f120eb694f86011e5bb4662e5c415a62917033d4a9624487e7',
  'bc1a0643b12e4d2d7c77918f44e0f4f79a838b6cf9ec5b5c283e1f4d88599e6b',
  '4271a26be0d8a84f0bd54c8c302e7cb3a3b5d1fa6780a40bcce2873477dab658',
  'b08693ec2e721597130641e8211e7eedccb4c26413963eee6c1e2ed16ffb1a5f',
  '46f6ffadd3d06a09ff3c5860d2755c8b9819db7df44251788c7d8e3180de8eb1',
];
const LEVEL_1 = [
  'fac54203e7cc696cf0dfcb42c92a1d9dbaf70ad9e621f4bd8d98662f00e3c125',
  '5f083f0a1a33ca076a95279832580db3e0ef4584bdff1f54c8a360f50de3031e',
  '0ebc5d3437fbe2db158b9f126a1d118e308181031d0a949f8dededebc558ef6a',
  'ca854ea128ed050b41b35ffc1b87b8eb2bde461e9e3b5596ece6b9d5975a0ae0',
];
const LEVEL_2 = [
  'd37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7',
  '6b47aaf29ee3c2af9af889bc1fb9254dabd31177f16232dd6aab035ca39bf6e4',
];
const ROOTS = [
  'e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855', // empty tree
  '6e340b9cffb37a989ca544e6bb780a2c78901d3fb33738768511a30617afa01d',
  'fac54203e7cc696cf0dfcb42c92a1d9dbaf70ad9e621f4bd8d98662f00e3c125',
  'aeb6bcfe274b70a14fb067a5e5578264db0fa9b51af5e0ba159158f329e06e77',
  'd37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7',
  '4e3bbb1f7b478dcfe71fb631631519a3bca12c9aefca1612bfce4c13a86264d4',
  '76e67dadbcdf1e10e1b74ddc608abd2f98dfb16fbce75277b5232a127f2087ef',
  'ddb89be403809e325750d3d263cd78929c2942b7942a34b77e122c9594a74c8c',
  '5dc9da79a70659a9ad559cb701ded9a2ab9d823aad2f4960cfe370eff4604328',
];
const INCLUSION = [
  { leaf: 1, size: 1, path: [] },
  {
    leaf: 1,
    size: 8,
    path: [
      '96a296d224f285c67bee93c30f8a309157f0daa35dc5b87e410b78630a09cfc7',
      '5f083f0a1a33ca076a95279832580db3e0ef4584bdff1f54c8a360f50de3031e',
      '6b47aaf29ee3c2af9af889bc1fb9254dabd31177f16232dd6aab035ca39bf6e4',
    ],
  },
  {
    leaf: 6,
    size: 8,
    path: [
      'bc1a0643b12e4d2d7c77918f44e0f4f79a838b6cf9ec5b5c283e1f4d88599e6b',
      'ca854ea128ed050b41b35ffc1b87b8eb2bde461e9e3b5596ece6b9d5975a0ae0',
      'd37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7',
    ],
  },
  { leaf: 3, size: 3, path: ['fac54203e7cc696cf0dfcb42c92a1d9dbaf70ad9e621f4bd8d98662f00e3c125'] },
  {
    leaf: 2,
    size: 5,
    path: [
      '6e340b9cffb37a989ca544e6bb780a2c78901d3fb33738768511a30617afa01d',
      '5f083f0a1a33ca076a95279832580db3e0ef4584bdff1f54c8a360f50de3031e',
      'bc1a0643b12e4d2d7c77918f44e0f4f79a838b6cf9ec5b5c283e1f4d88599e6b',
    ],
  },
];
const CONSISTENCY = [
  { old: 1, size: 1, proof: [] },
  {
    old: 1,
    size: 8,
    proof: [
      '96a296d224f285c67bee93c30f8a309157f0daa35dc5b87e410b78630a09cfc7',
      '5f083f0a1a33ca076a95279832580db3e0ef4584bdff1f54c8a360f50de3031e',
      '6b47aaf29ee3c2af9af889bc1fb9254dabd31177f16232dd6aab035ca39bf6e4',
    ],
  },
  {
    old: 6,
    size: 8,
    proof: [
      '0ebc5d3437fbe2db158b9f126a1d118e308181031d0a949f8dededebc558ef6a',
      'ca854ea128ed050b41b35ffc1b87b8eb2bde461e9e3b5596ece6b9d5975a0ae0',
      'd37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7',
    ],
  },
  {
    old: 2,
    size: 5,
    proof: [
      '5f083f0a1a33ca076a95279832580db3e0ef4584bdff1f54c8a360f50de3031e',
      'bc1a0643b12e4d2d7c77918f44e0f4f79a838b6cf9ec5b5c283e1f4d88599e6b',
    ],
  },
];

const leaves = LEAF_INPUTS.map((input) => leafHash(input));
const hexes = (list: Buffer[]) => list.map((b) => b.toString('hex'));

describe('RFC 6962 reference vectors', () => {
  it('leaf and interior node hashes', () => {
    assert.deepEqual(hexes(leaves), LEAF_HASHES);
    const level1 = [0, 2, 4, 6].map((i) => nodeHash(leaves[i]!, leaves[i + 1]!));
    assert.deepEqual(hexes(level1), LEVEL_1);
    const level2 = [0, 2].map((i) => nodeHash(level1[i]!, level1[i + 1]!));
    assert.deepEqual(hexes(level2), LEVEL_2);
  });

  it('roots of the trees of sizes 0..8 (also against the naive recursive definition)', () => {
    assert.equal(emptyTreeRoot().toString('hex'), ROOTS[0]);
    for (let size = 0; size <= 8; size++) {
      assert.equal(merkleRoot(leaves.slice(0, size)).toString('hex'), ROOTS[size], `size ${size}`);
      assert.equal(naiveMth(LEAF_INPUTS.slice(0, size)).toString('hex'), ROOTS[size], `naive size ${size}`);
    }
  });

  it('published inclusion proofs are produced and verify', () => {
    for (const { leaf, size, path } of INCLUSION) {
      const index = leaf - 1;
      assert.deepEqual(hexes(inclusionProof(leaves.slice(0, size), index)), path, `leaf ${leaf} of ${size}`);
      const verified = verifyInclusion({
        leafHash: leaves[index]!,
        index,
        treeSize: size,
        proof: path.map(hex),
        rootHash: hex(ROOTS[size]!),
      });
      assert.equal(verified, true, `leaf ${leaf} of ${size}`);
    }
  });

  it('every inclusion proof in the 8 trees matches the naive PATH(m, D[n]) and verifies', () => {
    for (let size = 1; size <= 8; size++) {
      for (let index = 0; index < size; index++) {
        const proof = inclusionProof(leaves.slice(0, size), index);
        assert.deepEqual(hexes(proof), hexes(naivePath(index, LEAF_INPUTS.slice(0, size))), `${index} of ${size}`);
        const rootHash = hex(ROOTS[size]!);
        assert.ok(verifyInclusion({ leafHash: leaves[index]!, index, treeSize: size, proof, rootHash }));
      }
    }
  });

  it('published consistency proofs are produced and verify', () => {
    for (const { old, size, proof } of CONSISTENCY) {
      assert.deepEqual(hexes(consistencyProof(leaves.slice(0, size), old)), proof, `${old} → ${size}`);
      const verified = verifyConsistency({
        oldSize: old,
        newSize: size,
        oldRoot: hex(ROOTS[old]!),
        newRoot: hex(ROOTS[size]!),
        proof: proof.map(hex),
      });
      assert.equal(verified, true, `${old} → ${size}`);
    }
  });

  it('every consistency proof among the 8 trees matches the naive PROOF(m, D[n]) and verifies', () => {
    for (let size = 0; size <= 8; size++) {
      for (let old = 0; old <= size; old++) {
        const proof = consistencyProof(leaves.slice(0, size), old);
        assert.deepEqual(hexes(proof), hexes(naiveConsistency(old, LEAF_INPUTS.slice(0, size))), `${old} → ${size}`);
        const args = { oldSize: old, newSize: size, oldRoot: hex(ROOTS[old]!), newRoot: hex(ROOTS[size]!), proof };
        assert.ok(verifyConsistency(args), `${old} → ${size}`);
      }
    }
  });

  it('trivial and malformed cases, as in the Trillian verifier tests', () => {
    const someRoot = hex(ROOTS[3]!);
    const empty = hex(ROOTS[0]!);
    // Equal sizes need equal roots and an empty proof.
    assert.equal(verifyConsistency({ oldSize: 3, newSize: 3, oldRoot: someRoot, newRoot: someRoot, proof: [] }), true);
    assert.equal(verifyConsistency({ oldSize: 3, newSize: 3, oldRoot: someRoot, newRoot: empty, proof: [] }), false);
    assert.equal(verifyConsistency({ oldSize: 3, newSize: 3, oldRoot: someRoot, newRoot: someRoot, proof: [empty] }), false);
    // The empty tree is a prefix of everything, but its root must be SHA-256("").
    assert.equal(verifyConsistency({ oldSize: 0, newSize: 3, oldRoot: empty, newRoot: someRoot, proof: [] }), true);
    assert.equal(verifyConsistency({ oldSize: 0, newSize: 3, oldRoot: someRoot, newRoot: someRoot, proof: [] }), false);
    assert.equal(verifyConsistency({ oldSize: 0, newSize: 3, oldRoot: empty, newRoot: someRoot, proof: [empty] }), false);
    // Time travel, an empty proof for a real extension, negative or fractional sizes.
    assert.equal(verifyConsistency({ oldSize: 2, newSize: 1, oldRoot: someRoot, newRoot: someRoot, proof: [] }), false);
    assert.equal(verifyConsistency({ oldSize: 1, newSize: 2, oldRoot: hex(ROOTS[1]!), newRoot: hex(ROOTS[2]!), proof: [] }), false);
    assert.equal(verifyConsistency({ oldSize: -1, newSize: 2, oldRoot: empty, newRoot: empty, proof: [] }), false);
    assert.equal(verifyConsistency({ oldSize: 1.5, newSize: 2, oldRoot: empty, newRoot: empty, proof: [] }), false);
    // Inclusion in an empty tree, or past its end, never verifies; nor do hashes of the wrong length.
    for (const [index, treeSize] of [[0, 0], [1, 0], [1, 1], [2, 1]] as const) {
      assert.equal(verifyInclusion({ leafHash: leaves[0]!, index, treeSize, proof: [], rootHash: leaves[0]! }), false);
    }
    assert.equal(verifyInclusion({ leafHash: leaves[0]!, index: 0, treeSize: 1, proof: [], rootHash: leaves[0]! }), true);
    assert.equal(verifyInclusion({ leafHash: Buffer.alloc(0), index: 0, treeSize: 1, proof: [], rootHash: Buffer.alloc(0) }), false);
    assert.equal(verifyInclusion({ leafHash: leaves[0]!, index: -1, treeSize: 1, proof: [], rootHash: leaves[0]! }), false);
    assert.equal(
      verifyInclusion({ leafHash: leaves[0]!, index: 0, treeSize: 2, proof: [Buffer.alloc(31)], rootHash: hex(ROOTS[2]!) }),
      false,
    );
  });
});
