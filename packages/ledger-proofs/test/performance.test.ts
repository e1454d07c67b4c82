import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { inclusionProof, merkleRoot, verifyInclusion } from '../src/index';

// A sanity check that prints timings; by the repository's rules it asserts correctness only, never speed.
describe('performance sanity', () => {
  it('builds the root of 1,000,000 leaves and proves one of them', (t) => {
    const count = 1_000_000;
    const pool = randomBytes(32 * count);
    const leaves = Array.from({ length: count }, (_, i) => pool.subarray(32 * i, 32 * i + 32));

    const heapBefore = process.memoryUsage().heapUsed;
    let started = performance.now();
    const rootHash = merkleRoot(leaves);
    const rootMs = performance.now() - started;
    const heapDeltaMiB = (process.memoryUsage().heapUsed - heapBefore) / 2 ** 20;

    const index = 765_432;
    started = performance.now();
    const proof = inclusionProof(leaves, index);
    const proofMs = performance.now() - started;

    started = performance.now();
    assert.ok(verifyInclusion({ leafHash: leaves[index]!, index, treeSize: count, proof, rootHash }));
    const verifyMs = performance.now() - started;

    assert.equal(proof.length, 20);
    t.diagnostic(
      `merkleRoot(1e6): ${rootMs.toFixed(0)} ms (heap delta ${heapDeltaMiB.toFixed(1)} MiB); ` +
        `inclusionProof: ${proofMs.toFixed(0)} ms; verifyInclusion: ${verifyMs.toFixed(2)} ms`,
    );
  });
});
