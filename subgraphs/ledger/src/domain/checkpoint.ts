import { createHash, createPrivateKey, createPublicKey, type KeyObject } from 'node:crypto';
import { inclusionProof, merkleRoot, signCheckpoint, type Checkpoint, type InclusionProofBundle } from '@baas/ledger-proofs';

export type CheckpointKey = { privateKey: KeyObject; publicKeyPem: string; keyId: string };

export type StoredCheckpoint = Checkpoint & { signature: Buffer };

/** The checkpoint signing key; its id is the first 16 hex digits of SHA-256 of the public key (SPKI DER). */
export function loadCheckpointKey(privateKeyPem: string): CheckpointKey {
  const privateKey = createPrivateKey(privateKeyPem);
  const publicKey = createPublicKey(privateKey);
  const keyId = createHash('sha256').update(publicKey.export({ type: 'spki', format: 'der' })).digest('hex').slice(0, 16);
  return { privateKey, publicKeyPem: publicKey.export({ type: 'spki', format: 'pem' }).toString(), keyId };
}

/** A signed tree head over journal entries 1..treeSize: the Merkle root of their leaf hashes and the chain head. */
export function buildCheckpoint(treeSize: bigint, leaves: Buffer[], chainHead: Buffer, key: CheckpointKey): StoredCheckpoint {
  const checkpoint: Checkpoint = { treeSize, rootHash: merkleRoot(leaves), chainHead, timestamp: new Date().toISOString(), keyId: key.keyId };
  return { ...checkpoint, signature: signCheckpoint(checkpoint, key.privateKey) };
}

export type JournalEntryRow = { seq: string; content: string; prev_hash: Buffer; hash: Buffer };

/** The inclusion proof of journal entry `row` against `checkpoint` (which covers it), from the checkpoint's leaves. */
export function inclusionProofBundle(row: JournalEntryRow, checkpoint: StoredCheckpoint, leaves: Buffer[]): InclusionProofBundle {
  const index = Number(BigInt(row.seq) - 1n);
  return {
    version: 1,
    entry: { seq: row.seq, content: row.content, prevHash: row.prev_hash.toString('hex'), hash: row.hash.toString('hex') },
    leafIndex: index,
    treeSize: checkpoint.treeSize.toString(),
    auditPath: inclusionProof(leaves, index).map((b) => b.toString('hex')),
    checkpoint: {
      treeSize: checkpoint.treeSize.toString(),
      rootHash: checkpoint.rootHash.toString('hex'),
      chainHead: checkpoint.chainHead.toString('hex'),
      timestamp: checkpoint.timestamp,
      keyId: checkpoint.keyId,
      signature: checkpoint.signature.toString('base64'),
    },
  };
}
