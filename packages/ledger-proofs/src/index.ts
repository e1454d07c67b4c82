export { LedgerProofError, isLedgerProofError, type LedgerProofErrorCode } from './errors';
export { HASH_SIZE } from './bytes';
export { canonicalize, type CanonicalValue } from './canonicalize';
export { GENESIS_HASH, chainHash } from './chain-hash';
export {
  verifyChain,
  type ChainEntry,
  type ChainFailureReason,
  type VerifyChainOptions,
  type VerifyChainResult,
} from './verify-chain';
export { emptyTreeRoot, leafHash, nodeHash } from './merkle-hashes';
export { merkleRoot } from './merkle-root';
export { type SubtreeRootFn } from './tree-size';
export { inclusionProof, inclusionProofFromSubtrees, verifyInclusion } from './inclusion-proof';
export { consistencyProof, consistencyProofFromSubtrees, verifyConsistency } from './consistency-proof';
export {
  CHECKPOINT_MESSAGE_PREFIX,
  checkpointKeyId,
  checkpointMessage,
  generateCheckpointKey,
  isCheckpointKeyId,
  isCheckpointTimestamp,
  signCheckpoint,
  verifyCheckpoint,
  type Checkpoint,
} from './checkpoint';
export {
  createProofBundle,
  verifyProofBundle,
  type InclusionProofBundle,
  type VerifyProofBundleResult,
} from './proof-bundle';
