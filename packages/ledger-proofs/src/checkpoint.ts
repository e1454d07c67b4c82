import { createHash, createPublicKey, generateKeyPairSync, sign, verify, type KeyObject } from 'node:crypto';
import { isHash, toHex } from './bytes';
import { LedgerProofError } from './errors';

/**
 * A signed statement "the journal's entries 1..treeSize have Merkle root rootHash, and entry treeSize has chain
 * hash chainHead". For treeSize 0: rootHash = SHA-256("") and chainHead = GENESIS_HASH.
 */
export type Checkpoint = {
  treeSize: bigint;
  rootHash: Buffer;
  chainHead: Buffer;
  /** ISO 8601 UTC, e.g. Date#toISOString(): YYYY-MM-DDTHH:MM:SS[.fraction]Z. */
  timestamp: string;
  /** checkpointKeyId of the signing key: 16 lower-case hex digits. */
  keyId: string;
};

export const CHECKPOINT_MESSAGE_PREFIX = 'baas-ledger-checkpoint/v1\n';

// Fields are newline-separated, so none may contain a newline; these shapes also keep the message pure ASCII.
const TIMESTAMP = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(?:\.\d{1,9})?Z$/;
const KEY_ID = /^[0-9a-f]{16}$/;

/**
 * The exact bytes an Ed25519 checkpoint signature covers, UTF-8 (here ASCII) of:
 * "baas-ledger-checkpoint/v1\n" + treeSize (decimal) + "\n" + hex(rootHash) + "\n" + hex(chainHead) + "\n"
 * + timestamp + "\n" + keyId + "\n"   (hex lower-case). Throws INVALID_CHECKPOINT for a malformed field.
 */
export function checkpointMessage(cp: Checkpoint): Buffer {
  if (typeof cp.treeSize !== 'bigint' || cp.treeSize < 0n) throw invalid('treeSize must be a bigint ≥ 0');
  if (!isHash(cp.rootHash)) throw invalid('rootHash must be 32 bytes');
  if (!isHash(cp.chainHead)) throw invalid('chainHead must be 32 bytes');
  if (!isCheckpointTimestamp(cp.timestamp)) {
    throw invalid(`timestamp must be ISO 8601 UTC (YYYY-MM-DDTHH:MM:SS[.fff]Z), got ${JSON.stringify(cp.timestamp)}`);
  }
  if (!isCheckpointKeyId(cp.keyId)) throw invalid('keyId must be 16 lower-case hex digits');
  const text =
    CHECKPOINT_MESSAGE_PREFIX +
    `${cp.treeSize.toString(10)}\n${toHex(cp.rootHash)}\n${toHex(cp.chainHead)}\n${cp.timestamp}\n${cp.keyId}\n`;
  return Buffer.from(text, 'utf8');
}

/** True for a timestamp checkpointMessage accepts: YYYY-MM-DDTHH:MM:SS[.1-9 digits]Z naming a real instant. */
export function isCheckpointTimestamp(value: unknown): value is string {
  return typeof value === 'string' && TIMESTAMP.test(value) && !Number.isNaN(Date.parse(value));
}

/** True for a key id in the checkpointKeyId shape: 16 lower-case hex digits. */
export function isCheckpointKeyId(value: unknown): value is string {
  return typeof value === 'string' && KEY_ID.test(value);
}

/**
 * Key id of an Ed25519 public key: the first 16 hex digits of SHA-256 over its DER SubjectPublicKeyInfo.
 * Accepts a PEM (public, or private from which the public key is derived) or a KeyObject.
 * Throws INVALID_KEY for anything that is not an Ed25519 key.
 */
export function checkpointKeyId(key: string | KeyObject): string {
  const spki = ed25519PublicKey(key).export({ type: 'spki', format: 'der' });
  return createHash('sha256').update(spki).digest('hex').slice(0, 16);
}

/**
 * Ed25519 signature (64 bytes) over checkpointMessage(cp). Throws INVALID_KEY when the key is not Ed25519 or
 * cp.keyId is not this key's id, so a checkpoint can never name a key other than the one that signed it.
 */
export function signCheckpoint(cp: Checkpoint, privateKey: KeyObject): Buffer {
  if (privateKey.type !== 'private' || privateKey.asymmetricKeyType !== 'ed25519') {
    throw new LedgerProofError('INVALID_KEY', 'signCheckpoint needs an Ed25519 private KeyObject');
  }
  const message = checkpointMessage(cp);
  const keyId = checkpointKeyId(privateKey);
  if (cp.keyId !== keyId) throw new LedgerProofError('INVALID_KEY', `checkpoint keyId ${cp.keyId} is not this key (${keyId})`);
  return sign(null, message, privateKey);
}

/**
 * True when `signature` is this public key's Ed25519 signature over checkpointMessage(cp) AND cp.keyId is this
 * key's id. False for any malformed checkpoint or signature; throws INVALID_KEY only for a key that is not Ed25519.
 */
export function verifyCheckpoint(cp: Checkpoint, signature: Buffer, publicKeyPem: string | KeyObject): boolean {
  const publicKey = ed25519PublicKey(publicKeyPem);
  let message: Buffer;
  try {
    message = checkpointMessage(cp);
  } catch {
    return false;
  }
  if (!(signature instanceof Uint8Array) || signature.length !== 64) return false;
  if (cp.keyId !== checkpointKeyId(publicKey)) return false;
  return verify(null, message, publicKey, signature);
}

/** A new Ed25519 checkpoint key pair as PEM (PKCS#8 private, SPKI public) with its key id. */
export function generateCheckpointKey(): { privateKeyPem: string; publicKeyPem: string; keyId: string } {
  const { privateKey, publicKey } = generateKeyPairSync('ed25519', {
    privateKeyEncoding: { type: 'pkcs8', format: 'pem' },
    publicKeyEncoding: { type: 'spki', format: 'pem' },
  });
  return { privateKeyPem: privateKey, publicKeyPem: publicKey, keyId: checkpointKeyId(publicKey) };
}

function ed25519PublicKey(key: string | KeyObject): KeyObject {
  let publicKey: KeyObject;
  try {
    publicKey = typeof key === 'string' ? createPublicKey(key) : key.type === 'public' ? key : createPublicKey(key);
  } catch (error) {
    throw new LedgerProofError('INVALID_KEY', 'not a readable public key', { cause: error });
  }
  if (publicKey.asymmetricKeyType !== 'ed25519') {
    throw new LedgerProofError('INVALID_KEY', `expected an Ed25519 key, got ${publicKey.asymmetricKeyType ?? 'a secret key'}`);
  }
  return publicKey;
}

function invalid(why: string): LedgerProofError {
  return new LedgerProofError('INVALID_CHECKPOINT', `checkpoint: ${why}`);
}
