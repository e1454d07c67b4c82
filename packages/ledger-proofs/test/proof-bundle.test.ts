import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { createPrivateKey, type KeyObject } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import {
  canonicalize,
  chainHash,
  createProofBundle,
  GENESIS_HASH,
  generateCheckpointKey,
  inclusionProof,
  leafHash,
  merkleRoot,
  signCheckpoint,
  verifyProofBundle,
  type Checkpoint,
  type ChainEntry,
  type InclusionProofBundle,
} from '../src/index';
import { verifyLedgerProof } from '../../../scripts/verify-ledger-proof';

const REPO_ROOT = fileURLToPath(new URL('../../../', import.meta.url));
const SCRIPT = join(REPO_ROOT, 'scripts', 'verify-ledger-proof.ts');

type Entry = ChainEntry & { seq: bigint };
type Ledger = { entries: Entry[]; leaves: Buffer[] };
type Signer = { privateKey: KeyObject; publicKeyPem: string; keyId: string };

function buildLedger(length: number, genesis: Buffer = GENESIS_HASH): Ledger {
  const entries: Entry[] = [];
  let prevHash = genesis;
  for (let seq = 1n; seq <= BigInt(length); seq++) {
    const content = canonicalize({ seq, kind: 'SINGLE', amount: seq * 1000n, currency: 'BRL', memo: `pix nº ${seq} ✓` });
    const hash = chainHash(prevHash, content);
    entries.push({ seq, prevHash, hash, content });
    prevHash = hash;
  }
  return { entries, leaves: entries.map((e) => leafHash(e.hash)) };
}

function newSigner(): Signer {
  const key = generateCheckpointKey();
  return { privateKey: createPrivateKey(key.privateKeyPem), publicKeyPem: key.publicKeyPem, keyId: key.keyId };
}

function bundleFor(ledger: Ledger, signer: Signer, seq: number, treeSize: number, cpOverrides: Partial<Checkpoint> = {}) {
  const leaves = ledger.leaves.slice(0, treeSize);
  const checkpoint: Checkpoint = {
    treeSize: BigInt(treeSize),
    rootHash: merkleRoot(leaves),
    chainHead: ledger.entries[treeSize - 1]!.hash,
    timestamp: '2025-11-29T12:00:00.000Z',
    keyId: signer.keyId,
    ...cpOverrides,
  };
  return createProofBundle({
    entry: ledger.entries[seq - 1]!,
    auditPath: inclusionProof(leaves, seq - 1),
    checkpoint,
    signature: signCheckpoint(checkpoint, signer.privateKey),
  });
}

// Both verifiers must agree, reason for reason.
function verifyBoth(bundle: unknown, publicKeyPem: string) {
  const library = verifyProofBundle(bundle, publicKeyPem);
  const standalone = verifyLedgerProof(bundle, publicKeyPem);
  assert.deepEqual(standalone.ok ? { ok: true } : standalone, library);
  return library;
}

const clone = (b: InclusionProofBundle): InclusionProofBundle => structuredClone(b);
const flipHex = (hex: string) => (hex[0] === '0' ? '1' : '0') + hex.slice(1);

describe('proof bundles', () => {
  const ledger = buildLedger(25);
  const signer = newSigner();
  const good = bundleFor(ledger, signer, 6, 21);

  it('have the documented JSON shape', () => {
    assert.equal(good.version, 1);
    assert.equal(good.entry.seq, '6');
    assert.equal(good.leafIndex, 5);
    assert.equal(good.treeSize, '21');
    assert.equal(good.checkpoint.treeSize, '21');
    assert.equal(good.entry.content, ledger.entries[5]!.content);
    assert.match(good.entry.hash, /^[0-9a-f]{64}$/);
    assert.match(good.checkpoint.signature, /^[A-Za-z0-9+/]{86}==$/);
    assert.equal(good.auditPath.length, 5);
    assert.deepEqual(JSON.parse(JSON.stringify(good)), good);
  });

  it('verify for every entry against every checkpoint that covers it, in the library and the standalone script', () => {
    for (let treeSize = 1; treeSize <= 25; treeSize++) {
      for (let seq = 1; seq <= treeSize; seq++) {
        assert.deepEqual(verifyBoth(bundleFor(ledger, signer, seq, treeSize), signer.publicKeyPem), { ok: true }, `${seq}/${treeSize}`);
      }
    }
  });

  it('fail when any part is tampered with, for the same reason in both verifiers', () => {
    const other = newSigner();
    const tampers: Array<[string, (b: InclusionProofBundle) => unknown, RegExp]> = [
      ['content', (b) => void (b.entry.content = b.entry.content.replace('BRL', 'USD')), /entry hash/],
      ['prevHash', (b) => void (b.entry.prevHash = flipHex(b.entry.prevHash)), /entry hash/],
      ['hash', (b) => void (b.entry.hash = flipHex(b.entry.hash)), /entry hash/],
      ['seq', (b) => void (b.entry.seq = '7'), /leafIndex 5 is not entry seq 7 - 1/],
      ['leafIndex', (b) => void (b.leafIndex = 6), /leafIndex/],
      ['treeSize', (b) => void (b.treeSize = '22'), /differs from checkpoint treeSize/],
      ['both tree sizes', (b) => void ((b.treeSize = '22'), (b.checkpoint.treeSize = '22')), /audit path|signature/],
      ['seq past the tree', (b) => void ((b.treeSize = '5'), (b.checkpoint.treeSize = '5')), /beyond checkpoint treeSize 5/],
      ['path node', (b) => void (b.auditPath[2] = flipHex(b.auditPath[2]!)), /audit path/],
      ['path shortened', (b) => void b.auditPath.pop(), /audit path/],
      ['path extended', (b) => void b.auditPath.push(b.checkpoint.rootHash), /audit path/],
      ['path reordered', (b) => void b.auditPath.reverse(), /audit path/],
      ['rootHash', (b) => void (b.checkpoint.rootHash = flipHex(b.checkpoint.rootHash)), /audit path/],
      ['chainHead', (b) => void (b.checkpoint.chainHead = flipHex(b.checkpoint.chainHead)), /signature/],
      ['timestamp', (b) => void (b.checkpoint.timestamp = '2025-11-29T12:00:00.001Z'), /signature/],
      ['keyId', (b) => void (b.checkpoint.keyId = other.keyId), /keyId .* is not this public key/],
      ['signature', (b) => void (b.checkpoint.signature = (b.checkpoint.signature[0] === 'A' ? 'B' : 'A') + b.checkpoint.signature.slice(1)), /signature is not valid/],
      ['signature not canonical', (b) => void (b.checkpoint.signature = b.checkpoint.signature.replace(/.==$/, 'B==')), /signature/],
      ['version', (b) => void ((b as { version: number }).version = 2), /version/],
      ['upper-case hex', (b) => void (b.entry.hash = b.entry.hash.toUpperCase()), /malformed entry.hash/],
      ['seq with a leading zero', (b) => void (b.entry.seq = '06'), /malformed entry.seq/],
      ['leafIndex as a string', (b) => void ((b as { leafIndex: unknown }).leafIndex = '5'), /malformed leafIndex/],
      ['lone surrogate', (b) => void (b.entry.content = `${b.entry.content}\ud800`), /lone UTF-16 surrogate/],
      ['timestamp with a newline', (b) => void (b.checkpoint.timestamp += '\n'), /malformed checkpoint.timestamp/],
      ['missing checkpoint', (b) => void delete (b as Partial<InclusionProofBundle>).checkpoint, /malformed checkpoint/],
    ];
    for (const [name, tamper, reason] of tampers) {
      const bundle = clone(good);
      tamper(bundle);
      const result = verifyBoth(bundle, signer.publicKeyPem);
      assert.equal(result.ok, false, name);
      assert.match((result as { reason: string }).reason, reason, name);
    }
    assert.match(String((verifyBoth(good, other.publicKeyPem) as { reason: string }).reason), /keyId/);
    for (const notABundle of [null, [], 'x', 42]) assert.equal(verifyBoth(notABundle, signer.publicKeyPem).ok, false);
    const rsa = '-----BEGIN PUBLIC KEY-----\nnope\n-----END PUBLIC KEY-----\n';
    assert.match(String((verifyBoth(good, rsa) as { reason: string }).reason), /not an Ed25519 public key/);
  });

  it('fail for a properly signed checkpoint whose chainHead or genesis link is wrong', () => {
    const wrongHead = bundleFor(ledger, signer, 21, 21, { chainHead: ledger.entries[19]!.hash });
    assert.deepEqual(verifyBoth(wrongHead, signer.publicKeyPem), { ok: false, reason: 'checkpoint chainHead is not the hash of entry 21' });
    // The same checkpoint proves other entries: chainHead is only cross-checked against the last one.
    assert.deepEqual(verifyBoth(bundleFor(ledger, signer, 3, 21, { chainHead: ledger.entries[19]!.hash }), signer.publicKeyPem), { ok: true });
    const forked = buildLedger(4, Buffer.alloc(32, 9));
    assert.deepEqual(verifyBoth(bundleFor(forked, signer, 1, 4), signer.publicKeyPem), { ok: false, reason: 'entry 1 does not link to the genesis hash' });
    assert.deepEqual(verifyBoth(bundleFor(forked, signer, 2, 4), signer.publicKeyPem), { ok: true });
  });

  describe('the standalone script (node --import tsx scripts/verify-ledger-proof.ts)', () => {
    let dir = '';
    const run = (...args: string[]) =>
      spawnSync(process.execPath, ['--import', 'tsx', SCRIPT, ...args], { cwd: REPO_ROOT, encoding: 'utf8' });
    const write = (name: string, text: string) => {
      const path = join(dir, name);
      writeFileSync(path, text);
      return path;
    };

    before(() => {
      dir = mkdtempSync(join(tmpdir(), 'ledger-proof-'));
    });
    after(() => {
      rmSync(dir, { recursive: true, force: true });
    });

    it('prints VALID and exits 0 for a bundle made by the library', () => {
      const result = run(write('good.json', JSON.stringify(good, null, 2)), write('key.pem', signer.publicKeyPem));
      assert.equal(result.stderr, '');
      assert.equal(result.stdout, `VALID: entry 6 is included in checkpoint 21 signed by ${signer.keyId}\n`);
      assert.equal(result.status, 0);
    });

    it('prints INVALID and exits 1 for a tampered bundle, another key or unreadable input', () => {
      const keyPath = write('key.pem', signer.publicKeyPem);
      const tampered = clone(good);
      tampered.entry.content = tampered.entry.content.replace('BRL', 'USD');
      let result = run(write('tampered.json', JSON.stringify(tampered)), keyPath);
      assert.equal(result.stdout, 'INVALID: entry hash is not SHA-256(prevHash || UTF-8(content))\n');
      assert.equal(result.status, 1);

      const badPath = clone(good);
      badPath.auditPath[0] = flipHex(badPath.auditPath[0]!);
      result = run(write('bad-path.json', JSON.stringify(badPath)), keyPath);
      assert.equal(result.stdout, 'INVALID: audit path does not lead from the entry to the checkpoint rootHash\n');
      assert.equal(result.status, 1);

      result = run(write('good.json', JSON.stringify(good)), write('other.pem', newSigner().publicKeyPem));
      assert.match(result.stdout, /^INVALID: checkpoint keyId [0-9a-f]{16} is not this public key/);
      assert.equal(result.status, 1);

      result = run(write('broken.json', '{"version": 1,'), keyPath);
      assert.match(result.stdout, /^INVALID: cannot read the bundle as JSON/);
      assert.equal(result.status, 1);

      result = run(join(dir, 'missing.json'), keyPath);
      assert.match(result.stdout, /^INVALID: /);
      assert.equal(result.status, 1);
    });

    it('prints usage and exits 2 without its two arguments', () => {
      const result = run();
      assert.match(result.stderr, /^usage: /);
      assert.equal(result.status, 2);
    });
  });
});
