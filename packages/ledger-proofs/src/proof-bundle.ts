import { isHash, isWellFormedText, parseHexHash, sameBytes, toHex } from './bytes';
import { chainHash } from './chain-hash';
import { checkpointKeyId, isCheckpointKeyId, isCheckpointTimestamp, verifyCheckpoint, type Checkpoint } from './checkpoint';
import { LedgerProofError } from './errors';
import { leafHash } from './merkle-hashes';
import { verifyInclusion } from './inclusion-proof';

/**
 * What the API returns for "prove entry seq": the entry, its audit path, and the signed checkpoint it leads to.
 * Hashes are 64 lower-case hex digits, integers decimal strings (leafIndex a JSON number), the signature standard
 * base64 with padding. See the package README for the verification rules.
 */
export type InclusionProofBundle = {
  version: 1;
  entry: { seq: string; content: string; prevHash: string; hash: string };
  leafIndex: number;
  treeSize: string;
  auditPath: string[];
  checkpoint: {
    treeSize: string;
    rootHash: string;
    chainHead: string;
    timestamp: string;
    keyId: string;
    signature: string;
  };
};

export type VerifyProofBundleResult = { ok: true } | { ok: false; reason: string };

/**
 * Serializes an entry, its audit path (inclusionProof(leaves, seq - 1) over the checkpoint's first treeSize leaves)
 * and a signed checkpoint into the JSON bundle. Only shapes are checked here; verifyProofBundle checks the maths.
 * Throws INVALID_SEQ for seq < 1 or seq - 1 beyond a safe integer, INVALID_HASH for a malformed hash.
 */
export function createProofBundle(opts: {
  entry: { seq: bigint | number; content: string; prevHash: Buffer; hash: Buffer };
  auditPath: readonly Buffer[];
  checkpoint: Checkpoint;
  signature: Buffer;
}): InclusionProofBundle {
  const { entry, checkpoint } = opts;
  const seq = BigInt(entry.seq);
  if (seq < 1n || seq - 1n > BigInt(Number.MAX_SAFE_INTEGER)) {
    throw new LedgerProofError('INVALID_SEQ', `seq must be in [1, 2^53], got ${seq}`);
  }
  const hashes = [entry.prevHash, entry.hash, checkpoint.rootHash, checkpoint.chainHead, ...opts.auditPath];
  if (!hashes.every(isHash)) throw new LedgerProofError('INVALID_HASH', 'every hash in a bundle must be 32 bytes');
  return {
    version: 1,
    entry: { seq: seq.toString(), content: entry.content, prevHash: toHex(entry.prevHash), hash: toHex(entry.hash) },
    leafIndex: Number(seq - 1n),
    treeSize: checkpoint.treeSize.toString(),
    auditPath: opts.auditPath.map(toHex),
    checkpoint: {
      treeSize: checkpoint.treeSize.toString(),
      rootHash: toHex(checkpoint.rootHash),
      chainHead: toHex(checkpoint.chainHead),
      timestamp: checkpoint.timestamp,
      keyId: checkpoint.keyId,
      signature: Buffer.from(opts.signature).toString('base64'),
    },
  };
}

const SEQ = /^[1-9][0-9]*$/;
const SIZE = /^(?:0|[1-9][0-9]*)$/;
const SIGNATURE_BASE64 = /^[A-Za-z0-9+/]{86}==$/;
const GENESIS = Buffer.alloc(32);

/**
 * Verifies an inclusion proof bundle (parsed JSON, untrusted) against the ledger's Ed25519 public key. In order:
 * shapes; leafIndex = seq - 1; bundle treeSize = checkpoint treeSize; seq ≤ treeSize; entry hash =
 * SHA-256(prevHash || UTF-8(content)); entry 1 links to GENESIS_HASH; when seq = treeSize, chainHead = entry hash;
 * the RFC 9162 inclusion proof of leafHash(entry hash) against checkpoint rootHash; keyId is this key's id; the
 * signature over checkpointMessage. The first failure is the reason. Never throws.
 * scripts/verify-ledger-proof.ts is an independent copy with the same rules and reasons.
 */
export function verifyProofBundle(bundle: unknown, publicKeyPem: string): VerifyProofBundleResult {
  const parsed = parseBundle(bundle);
  if (typeof parsed === 'string') return fail(parsed);
  const { seq, treeSize, entry, checkpoint } = parsed;
  if (BigInt(parsed.leafIndex) !== seq - 1n) return fail(`leafIndex ${parsed.leafIndex} is not entry seq ${seq} - 1`);
  if (parsed.bundleTreeSize !== treeSize) {
    return fail(`bundle treeSize ${parsed.bundleTreeSize} differs from checkpoint treeSize ${checkpoint.treeSize}`);
  }
  if (seq > treeSize) return fail(`entry seq ${seq} is beyond checkpoint treeSize ${treeSize}`);
  if (!sameBytes(chainHash(entry.prevHash, entry.content), entry.hash)) {
    return fail('entry hash is not SHA-256(prevHash || UTF-8(content))');
  }
  if (seq === 1n && !sameBytes(entry.prevHash, GENESIS)) return fail('entry 1 does not link to the genesis hash');
  if (seq === treeSize && !sameBytes(checkpoint.chainHead, entry.hash)) {
    return fail(`checkpoint chainHead is not the hash of entry ${seq}`);
  }
  const included = verifyInclusion({
    leafHash: leafHash(entry.hash),
    index: seq - 1n,
    treeSize,
    proof: parsed.auditPath,
    rootHash: checkpoint.rootHash,
  });
  if (!included) return fail('audit path does not lead from the entry to the checkpoint rootHash');
  let keyId: string;
  try {
    keyId = checkpointKeyId(publicKeyPem);
  } catch {
    return fail('the public key is not an Ed25519 public key');
  }
  if (checkpoint.keyId !== keyId) return fail(`checkpoint keyId ${checkpoint.keyId} is not this public key (${keyId})`);
  if (!verifyCheckpoint(checkpoint, parsed.signature, publicKeyPem)) return fail('checkpoint signature is not valid');
  return { ok: true };
}

type ParsedBundle = {
  seq: bigint;
  /** The checkpoint's treeSize. */
  treeSize: bigint;
  bundleTreeSize: bigint;
  leafIndex: number;
  entry: { content: string; prevHash: Buffer; hash: Buffer };
  auditPath: Buffer[];
  checkpoint: Checkpoint;
  signature: Buffer;
};

// Returns the decoded bundle, or the reason it is malformed.
function parseBundle(input: unknown): ParsedBundle | string {
  if (!isRecord(input)) return 'bundle is not a JSON object';
  if (input['version'] !== 1) return `unsupported bundle version ${JSON.stringify(input['version'])}`;
  const entry = input['entry'];
  const cp = input['checkpoint'];
  if (!isRecord(entry)) return 'malformed entry: not an object';
  if (!isRecord(cp)) return 'malformed checkpoint: not an object';
  const seq = entry['seq'];
  if (typeof seq !== 'string' || !SEQ.test(seq)) return 'malformed entry.seq: expected a decimal string ≥ 1';
  const content = entry['content'];
  if (typeof content !== 'string') return 'malformed entry.content: expected a string';
  if (!isWellFormedText(content)) return 'malformed entry.content: lone UTF-16 surrogate';
  const prevHash = parseHexHash(entry['prevHash']);
  if (!prevHash) return 'malformed entry.prevHash: expected 64 lower-case hex digits';
  const hash = parseHexHash(entry['hash']);
  if (!hash) return 'malformed entry.hash: expected 64 lower-case hex digits';
  const leafIndex = input['leafIndex'];
  if (typeof leafIndex !== 'number' || !Number.isSafeInteger(leafIndex) || leafIndex < 0) {
    return 'malformed leafIndex: expected an integer ≥ 0';
  }
  const treeSize = input['treeSize'];
  if (typeof treeSize !== 'string' || !SIZE.test(treeSize)) return 'malformed treeSize: expected a decimal string';
  const path = input['auditPath'];
  if (!Array.isArray(path)) return 'malformed auditPath: expected an array';
  const auditPath: Buffer[] = [];
  for (const node of path) {
    const decoded = parseHexHash(node);
    if (!decoded) return 'malformed auditPath: expected 64 lower-case hex digits per node';
    auditPath.push(decoded);
  }
  const cpTreeSize = cp['treeSize'];
  if (typeof cpTreeSize !== 'string' || !SIZE.test(cpTreeSize)) {
    return 'malformed checkpoint.treeSize: expected a decimal string';
  }
  const rootHash = parseHexHash(cp['rootHash']);
  if (!rootHash) return 'malformed checkpoint.rootHash: expected 64 lower-case hex digits';
  const chainHead = parseHexHash(cp['chainHead']);
  if (!chainHead) return 'malformed checkpoint.chainHead: expected 64 lower-case hex digits';
  const timestamp = cp['timestamp'];
  if (!isCheckpointTimestamp(timestamp)) return 'malformed checkpoint.timestamp: expected YYYY-MM-DDTHH:MM:SS[.fff]Z';
  const keyId = cp['keyId'];
  if (!isCheckpointKeyId(keyId)) return 'malformed checkpoint.keyId: expected 16 lower-case hex digits';
  const signature = cp['signature'];
  if (typeof signature !== 'string' || !SIGNATURE_BASE64.test(signature)) {
    return 'malformed checkpoint.signature: expected 64 bytes in padded base64';
  }
  const signatureBytes = Buffer.from(signature, 'base64');
  if (signatureBytes.toString('base64') !== signature) return 'malformed checkpoint.signature: not canonical base64';
  return {
    seq: BigInt(seq),
    treeSize: BigInt(cpTreeSize),
    bundleTreeSize: BigInt(treeSize),
    leafIndex,
    entry: { content, prevHash, hash },
    auditPath,
    checkpoint: { treeSize: BigInt(cpTreeSize), rootHash, chainHead, timestamp, keyId },
    signature: signatureBytes,
  };
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function fail(reason: string): VerifyProofBundleResult {
  return { ok: false, reason };
}
