import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { createHash, createPrivateKey, createPublicKey, generateKeyPairSync, verify } from 'node:crypto';
import {
  checkpointKeyId,
  checkpointMessage,
  generateCheckpointKey,
  isLedgerProofError,
  signCheckpoint,
  verifyCheckpoint,
  type Checkpoint,
} from '../src/index';

// RFC 8032 §7.1 TEST 1 key pair, so the key id below can be derived by hand from the raw public key.
const RFC8032_SECRET = '9d61b19deffd5a60ba844af492ec2cc44449c5697b326919703bac031cae7f60';
const RFC8032_PUBLIC = 'd75a980182b10ab7d54bfed3c964073a0ee172f3daa62325af021a68f707511a';
const b64url = (hex: string) => Buffer.from(hex, 'hex').toString('base64url');
const rfcPrivate = createPrivateKey({
  key: { kty: 'OKP', crv: 'Ed25519', d: b64url(RFC8032_SECRET), x: b64url(RFC8032_PUBLIC) },
  format: 'jwk',
});
const rfcPublicPem = createPublicKey(rfcPrivate).export({ type: 'spki', format: 'pem' }).toString();
// SubjectPublicKeyInfo DER for Ed25519 is a fixed 12-byte header (RFC 8410) followed by the raw 32-byte key.
const rfcKeyId = createHash('sha256')
  .update(Buffer.concat([Buffer.from('302a300506032b6570032100', 'hex'), Buffer.from(RFC8032_PUBLIC, 'hex')]))
  .digest('hex')
  .slice(0, 16);

const checkpoint = (overrides: Partial<Checkpoint> = {}): Checkpoint => ({
  treeSize: 1234n,
  rootHash: Buffer.alloc(32, 0xab),
  chainHead: Buffer.alloc(32, 0x01),
  timestamp: '2025-11-29T13:09:21.123Z',
  keyId: rfcKeyId,
  ...overrides,
});

describe('checkpoints', () => {
  it('key id is the first 16 hex digits of SHA-256 over the SPKI DER', () => {
    assert.equal(checkpointKeyId(rfcPublicPem), rfcKeyId);
    assert.equal(checkpointKeyId(rfcPrivate), rfcKeyId);
    assert.equal(checkpointKeyId(createPublicKey(rfcPrivate)), rfcKeyId);
    const generated = generateCheckpointKey();
    assert.match(generated.keyId, /^[0-9a-f]{16}$/);
    assert.equal(checkpointKeyId(generated.publicKeyPem), generated.keyId);
    assert.match(generated.privateKeyPem, /^-----BEGIN PRIVATE KEY-----/);
    assert.match(generated.publicKeyPem, /^-----BEGIN PUBLIC KEY-----/);
  });

  it('signs exactly the documented message', () => {
    const message = checkpointMessage(checkpoint());
    const expected =
      'baas-ledger-checkpoint/v1\n1234\n' +
      `${'ab'.repeat(32)}\n${'01'.repeat(32)}\n2025-11-29T13:09:21.123Z\n${rfcKeyId}\n`;
    assert.equal(message.toString('utf8'), expected);
    const signature = signCheckpoint(checkpoint(), rfcPrivate);
    assert.equal(signature.length, 64);
    // Checked with node:crypto directly over the expected bytes, not through the library.
    assert.ok(verify(null, Buffer.from(expected, 'utf8'), createPublicKey(rfcPublicPem), signature));
    assert.ok(verifyCheckpoint(checkpoint(), signature, rfcPublicPem));
    // Ed25519 is deterministic (RFC 8032): the same checkpoint gives the same signature.
    assert.deepEqual(signCheckpoint(checkpoint(), rfcPrivate), signature);
  });

  it('a signature fails with another key or any one changed field', () => {
    const key = generateCheckpointKey();
    const cp = checkpoint({ keyId: key.keyId, treeSize: 7n });
    const signature = signCheckpoint(cp, createPrivateKey(key.privateKeyPem));
    assert.equal(verifyCheckpoint(cp, signature, key.publicKeyPem), true);

    const other = generateCheckpointKey();
    assert.equal(verifyCheckpoint(cp, signature, other.publicKeyPem), false);
    // Even when the checkpoint names the other key, the signature is still the first key's.
    assert.equal(verifyCheckpoint({ ...cp, keyId: other.keyId }, signature, other.publicKeyPem), false);

    const flipped = (b: Buffer) => {
      const copy = Buffer.from(b);
      copy[31]! ^= 0x80;
      return copy;
    };
    const changed: Checkpoint[] = [
      { ...cp, treeSize: 8n },
      { ...cp, treeSize: 6n },
      { ...cp, rootHash: flipped(cp.rootHash) },
      { ...cp, chainHead: flipped(cp.chainHead) },
      { ...cp, timestamp: '2025-11-29T13:09:21.124Z' },
      { ...cp, keyId: other.keyId },
    ];
    for (const c of changed) assert.equal(verifyCheckpoint(c, signature, key.publicKeyPem), false);
    const flippedS = Buffer.from(signature);
    flippedS[63]! ^= 0x01;
    assert.equal(verifyCheckpoint(cp, flipped(signature), key.publicKeyPem), false);
    assert.equal(verifyCheckpoint(cp, flippedS, key.publicKeyPem), false);
    assert.equal(verifyCheckpoint(cp, signature.subarray(0, 63), key.publicKeyPem), false);
  });

  it('refuses malformed fields in the message and keys that do not fit', () => {
    const bad = (e: unknown) => isLedgerProofError(e, 'INVALID_CHECKPOINT');
    assert.throws(() => checkpointMessage(checkpoint({ treeSize: -1n })), bad);
    assert.throws(() => checkpointMessage(checkpoint({ treeSize: 1 as never })), bad);
    assert.throws(() => checkpointMessage(checkpoint({ rootHash: Buffer.alloc(31) })), bad);
    assert.throws(() => checkpointMessage(checkpoint({ chainHead: Buffer.alloc(33) })), bad);
    // A newline in a field would let one message be read two ways.
    for (const timestamp of ['2025-11-29T13:09:21Z\n1', '2025-11-29 13:09:21Z', '2025-11-29T13:09:21+01:00', '2025-13-01T00:00:00Z', '']) {
      assert.throws(() => checkpointMessage(checkpoint({ timestamp })), bad, timestamp);
    }
    assert.doesNotThrow(() => checkpointMessage(checkpoint({ timestamp: '2025-11-29T13:09:21Z' })));
    assert.doesNotThrow(() => checkpointMessage(checkpoint({ timestamp: '2025-11-29T13:09:21.123456Z' })));
    for (const keyId of ['ABCDEF0123456789', 'abc', `${rfcKeyId}\n`]) {
      assert.throws(() => checkpointMessage(checkpoint({ keyId })), bad, keyId);
    }
    const key = (e: unknown) => isLedgerProofError(e, 'INVALID_KEY');
    // The checkpoint must name the key that signs it.
    assert.throws(() => signCheckpoint(checkpoint({ keyId: '0000000000000000' }), rfcPrivate), key);
    const rsa = generateKeyPairSync('rsa', { modulusLength: 1024 });
    assert.throws(() => signCheckpoint(checkpoint(), rsa.privateKey), key);
    assert.throws(() => signCheckpoint(checkpoint(), createPublicKey(rfcPrivate)), key);
    const rsaPem = rsa.publicKey.export({ type: 'spki', format: 'pem' }).toString();
    assert.throws(() => verifyCheckpoint(checkpoint(), Buffer.alloc(64), rsaPem), key);
    assert.throws(() => verifyCheckpoint(checkpoint(), Buffer.alloc(64), 'not a pem'), key);
    // A malformed checkpoint is simply not verified.
    assert.equal(verifyCheckpoint(checkpoint({ timestamp: 'yesterday' }), Buffer.alloc(64), rfcPublicPem), false);
  });
});
