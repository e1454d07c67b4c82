/**
 * Standalone verifier of a BaaS ledger inclusion proof bundle. It imports only node: builtins, so an auditor can copy
 * this one file and run it without the repository (Node ≥ 18 and tsx):
 *
 *   npx tsx scripts/verify-ledger-proof.ts <bundle.json> <public-key.pem>
 *
 * Prints "VALID: entry <seq> is included in checkpoint <treeSize> signed by <keyId>" and exits 0, or
 * "INVALID: <reason>" and exits 1 (exit 2: wrong usage). The public key is the ledger's Ed25519 checkpoint key (PEM).
 *
 * Bundle (JSON): { version: 1, entry: { seq, content, prevHash, hash }, leafIndex, treeSize, auditPath: [hex...],
 *   checkpoint: { treeSize, rootHash, chainHead, timestamp, keyId, signature } }. Hashes are 64 lower-case hex digits,
 *   seq and treeSize decimal strings without leading zeros (seq ≥ 1), leafIndex a JSON integer, timestamp
 *   YYYY-MM-DDTHH:MM:SS[.1-9 digits]Z, keyId 16 lower-case hex digits, signature 64 bytes in padded standard base64.
 *
 * Algorithm, each step failing with its own reason, in this order:
 *  1. The shapes above.
 *  2. leafIndex = seq - 1;  treeSize = checkpoint.treeSize;  seq ≤ treeSize.
 *  3. Hash chain: entry.hash = SHA-256(prevHash || UTF-8(content)); entry 1's prevHash is 32 zero bytes; when
 *     seq = treeSize the checkpoint's chainHead must be entry.hash.
 *  4. Merkle inclusion (RFC 9162 §2.1.3.2): leaf = SHA-256(0x00 || entry.hash); with fn = leafIndex,
 *     sn = treeSize - 1, r = leaf, for each p in auditPath: fail if sn = 0; if fn is odd or fn = sn then
 *     r = SHA-256(0x01 || p || r) and, if fn is even, shift fn and sn right until fn is odd or 0; otherwise
 *     r = SHA-256(0x01 || r || p); then shift fn and sn right once. Valid iff sn = 0 and r = checkpoint.rootHash.
 *  5. keyId = first 16 hex digits of SHA-256(DER SubjectPublicKeyInfo of the public key).
 *  6. Ed25519 signature over the UTF-8 of "baas-ledger-checkpoint/v1\n" + treeSize + "\n" + rootHash + "\n" +
 *     chainHead + "\n" + timestamp + "\n" + keyId + "\n" (hex lower-case, treeSize decimal).
 *
 * The same rules, with the same reasons, are implemented by verifyProofBundle in packages/ledger-proofs, whose
 * README specifies the format in full; the test suite checks the two agree.
 */
import { createHash, createPublicKey, verify, type KeyObject } from 'node:crypto';
import { readFileSync, realpathSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

export type LedgerProofVerdict =
  | { ok: true; seq: string; treeSize: string; keyId: string }
  | { ok: false; reason: string };

const HEX_HASH = /^[0-9a-f]{64}$/;
const SEQ = /^[1-9][0-9]*$/;
const SIZE = /^(?:0|[1-9][0-9]*)$/;
const TIMESTAMP = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(?:\.\d{1,9})?Z$/;
const KEY_ID = /^[0-9a-f]{16}$/;
const SIGNATURE_BASE64 = /^[A-Za-z0-9+/]{86}==$/;
const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

/** Verifies a parsed bundle against an Ed25519 public key (PEM); never throws. */
export function verifyLedgerProof(bundle: unknown, publicKeyPem: string): LedgerProofVerdict {
  const b = parse(bundle);
  if (typeof b === 'string') return invalid(b);
  const leafIndex = BigInt(b.leafIndex);
  if (leafIndex !== b.seq - 1n) return invalid(`leafIndex ${b.leafIndex} is not entry seq ${b.seq} - 1`);
  if (b.bundleTreeSize !== b.treeSize) {
    return invalid(`bundle treeSize ${b.bundleTreeSize} differs from checkpoint treeSize ${b.treeSize}`);
  }
  if (b.seq > b.treeSize) return invalid(`entry seq ${b.seq} is beyond checkpoint treeSize ${b.treeSize}`);

  const entryHash = sha256(b.prevHash, Buffer.from(b.content, 'utf8'));
  if (!entryHash.equals(b.hash)) return invalid('entry hash is not SHA-256(prevHash || UTF-8(content))');
  if (b.seq === 1n && !b.prevHash.equals(Buffer.alloc(32))) return invalid('entry 1 does not link to the genesis hash');
  if (b.seq === b.treeSize && !b.chainHead.equals(b.hash)) {
    return invalid(`checkpoint chainHead is not the hash of entry ${b.seq}`);
  }

  if (!includes(sha256(Buffer.from([0x00]), b.hash), leafIndex, b.treeSize, b.auditPath, b.rootHash)) {
    return invalid('audit path does not lead from the entry to the checkpoint rootHash');
  }

  let key: KeyObject;
  try {
    key = createPublicKey(publicKeyPem);
  } catch {
    return invalid('the public key is not an Ed25519 public key');
  }
  if (key.asymmetricKeyType !== 'ed25519') return invalid('the public key is not an Ed25519 public key');
  const keyId = sha256(key.export({ type: 'spki', format: 'der' })).toString('hex').slice(0, 16);
  if (b.keyId !== keyId) return invalid(`checkpoint keyId ${b.keyId} is not this public key (${keyId})`);
  const message = Buffer.from(
    `baas-ledger-checkpoint/v1\n${b.treeSize}\n${b.rootHash.toString('hex')}\n${b.chainHead.toString('hex')}\n` +
      `${b.timestamp}\n${b.keyId}\n`,
    'utf8',
  );
  if (!verify(null, message, key, b.signature)) return invalid('checkpoint signature is not valid');
  return { ok: true, seq: b.seq.toString(), treeSize: b.treeSize.toString(), keyId };
}

// RFC 9162 §2.1.3.2, in bigint because JS bit operators truncate numbers to 32 bits.
function includes(leaf: Buffer, index: bigint, treeSize: bigint, path: Buffer[], root: Buffer): boolean {
  if (index >= treeSize) return false;
  let fn = index;
  let sn = treeSize - 1n;
  let r = leaf;
  for (const p of path) {
    if (sn === 0n) return false;
    if ((fn & 1n) === 1n || fn === sn) {
      r = sha256(Buffer.from([0x01]), p, r);
      while ((fn & 1n) === 0n && fn !== 0n) {
        fn >>= 1n;
        sn >>= 1n;
      }
    } else {
      r = sha256(Buffer.from([0x01]), r, p);
    }
    fn >>= 1n;
    sn >>= 1n;
  }
  return sn === 0n && r.equals(root);
}

type Parsed = {
  seq: bigint;
  content: string;
  prevHash: Buffer;
  hash: Buffer;
  leafIndex: number;
  bundleTreeSize: bigint;
  auditPath: Buffer[];
  treeSize: bigint;
  rootHash: Buffer;
  chainHead: Buffer;
  timestamp: string;
  keyId: string;
  signature: Buffer;
};

// The decoded bundle, or why it is malformed (same checks, order and wording as the library).
function parse(input: unknown): Parsed | string {
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
  if (LONE_SURROGATE.test(content)) return 'malformed entry.content: lone UTF-16 surrogate';
  const prevHash = hexHash(entry['prevHash']);
  if (!prevHash) return 'malformed entry.prevHash: expected 64 lower-case hex digits';
  const hash = hexHash(entry['hash']);
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
    const decoded = hexHash(node);
    if (!decoded) return 'malformed auditPath: expected 64 lower-case hex digits per node';
    auditPath.push(decoded);
  }
  const cpTreeSize = cp['treeSize'];
  if (typeof cpTreeSize !== 'string' || !SIZE.test(cpTreeSize)) {
    return 'malformed checkpoint.treeSize: expected a decimal string';
  }
  const rootHash = hexHash(cp['rootHash']);
  if (!rootHash) return 'malformed checkpoint.rootHash: expected 64 lower-case hex digits';
  const chainHead = hexHash(cp['chainHead']);
  if (!chainHead) return 'malformed checkpoint.chainHead: expected 64 lower-case hex digits';
  const timestamp = cp['timestamp'];
  if (typeof timestamp !== 'string' || !TIMESTAMP.test(timestamp) || Number.isNaN(Date.parse(timestamp))) {
    return 'malformed checkpoint.timestamp: expected YYYY-MM-DDTHH:MM:SS[.fff]Z';
  }
  const keyId = cp['keyId'];
  if (typeof keyId !== 'string' || !KEY_ID.test(keyId)) {
    return 'malformed checkpoint.keyId: expected 16 lower-case hex digits';
  }
  const signature = cp['signature'];
  if (typeof signature !== 'string' || !SIGNATURE_BASE64.test(signature)) {
    return 'malformed checkpoint.signature: expected 64 bytes in padded base64';
  }
  const signatureBytes = Buffer.from(signature, 'base64');
  if (signatureBytes.toString('base64') !== signature) return 'malformed checkpoint.signature: not canonical base64';
  return {
    seq: BigInt(seq),
    content,
    prevHash,
    hash,
    leafIndex,
    bundleTreeSize: BigInt(treeSize),
    auditPath,
    treeSize: BigInt(cpTreeSize),
    rootHash,
    chainHead,
    timestamp,
    keyId,
    signature: signatureBytes,
  };
}

function hexHash(value: unknown): Buffer | undefined {
  return typeof value === 'string' && HEX_HASH.test(value) ? Buffer.from(value, 'hex') : undefined;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function sha256(...parts: Buffer[]): Buffer {
  const h = createHash('sha256');
  for (const part of parts) h.update(part);
  return h.digest();
}

function invalid(reason: string): LedgerProofVerdict {
  return { ok: false, reason };
}

function main(args: readonly string[]): number {
  const [bundlePath, keyPath] = args;
  if (args.length !== 2 || !bundlePath || !keyPath) {
    process.stderr.write('usage: npx tsx scripts/verify-ledger-proof.ts <bundle.json> <public-key.pem>\n');
    return 2;
  }
  let bundle: unknown;
  let publicKeyPem: string;
  try {
    bundle = JSON.parse(readFileSync(bundlePath, 'utf8'));
  } catch (error) {
    process.stdout.write(`INVALID: cannot read the bundle as JSON: ${(error as Error).message}\n`);
    return 1;
  }
  try {
    publicKeyPem = readFileSync(keyPath, 'utf8');
  } catch (error) {
    process.stdout.write(`INVALID: cannot read the public key: ${(error as Error).message}\n`);
    return 1;
  }
  const verdict = verifyLedgerProof(bundle, publicKeyPem);
  if (!verdict.ok) {
    process.stdout.write(`INVALID: ${verdict.reason}\n`);
    return 1;
  }
  process.stdout.write(
    `VALID: entry ${verdict.seq} is included in checkpoint ${verdict.treeSize} signed by ${verdict.keyId}\n`,
  );
  return 0;
}

// Runs only as a program, so the test suite can also import verifyLedgerProof and compare it with the library.
if (isMainModule()) process.exitCode = main(process.argv.slice(2));

function isMainModule(): boolean {
  const invokedPath = process.argv[1];
  if (invokedPath === undefined) return false;
  try {
    return realpathSync(invokedPath) === realpathSync(fileURLToPath(import.meta.url));
  } catch {
    return false;
  }
}
