import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { generateKeyPairSync } from 'node:crypto';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { verifyProofBundle } from '@baas/ledger-proofs';
import { loadCheckpointKey } from '../src/domain/checkpoint';
import type { TransferResult } from '../src/domain/types';
import { createCheckpoint, createLedgerFixture, single, verifyJournal } from './helpers/ledger-db';

const VERIFIER = new URL('../../../scripts/verify-ledger-proof.ts', import.meta.url).pathname;

function runVerifier(bundle: unknown, publicKeyPem: string) {
  const dir = mkdtempSync(join(tmpdir(), 'ledger-proof-'));
  writeFileSync(join(dir, 'bundle.json'), JSON.stringify(bundle));
  writeFileSync(join(dir, 'key.pem'), publicKeyPem);
  return spawnSync(process.execPath, ['--import', 'tsx', VERIFIER, join(dir, 'bundle.json'), join(dir, 'key.pem')], { encoding: 'utf8', timeout: 60_000 });
}

describe('tamper evidence', () => {
  let f: Awaited<ReturnType<typeof createLedgerFixture>>;
  const key = loadCheckpointKey(generateKeyPairSync('ed25519').privateKey.export({ type: 'pkcs8', format: 'pem' }).toString());
  let transfers: string[] = [];

  before(async () => {
    f = await createLedgerFixture();
    const [funding, a, b] = await f.accounts([{}, {}, {}]);
    const results: TransferResult[] = [];
    for (let i = 0; i < 5; i++) results.push(...(await f.writer.submit(Array.from({ length: 7 }, (_, j) => single(funding!, i % 2 ? a! : b!, BigInt(10 + i * 7 + j))))));
    transfers = results.map((r) => r.id);
  });
  after(async () => {
    await f?.close();
  });

  it('signs a checkpoint and proves inclusion; the standalone verifier accepts it with only the public key', async () => {
    const checkpoint = await createCheckpoint(f.pool, key);
    assert.equal(checkpoint!.treeSize, 35n);
    const bundle = (await f.transferInclusionProof(transfers[17]!))!;
    assert.deepEqual(verifyProofBundle(bundle, key.publicKeyPem), { ok: true });
    const out = runVerifier(bundle, key.publicKeyPem);
    assert.equal(out.status, 0, out.stderr);
    assert.match(out.stdout, /^VALID: entry 18 is included in checkpoint 35/);
    // Another key does not verify it.
    const other = loadCheckpointKey(generateKeyPairSync('ed25519').privateKey.export({ type: 'pkcs8', format: 'pem' }).toString());
    assert.equal(runVerifier(bundle, other.publicKeyPem).status, 1);
  });

  it('finds a journal row edited directly in SQL, and the proof of it no longer verifies', async () => {
    const bundleBefore = (await f.transferInclusionProof(transfers[20]!))!;
    // As a superuser (or the tables' owner) could: switch the guard off, rewrite an amount, switch it back on.
    const client = await f.pool.connect();
    try {
      await client.query('ALTER TABLE ledger.journal_entry DISABLE TRIGGER journal_entry_append_only');
      await client.query(`UPDATE ledger.journal_entry SET content = replace(content, '"amount":"', '"amount":"9') WHERE seq = 21`);
      await client.query('ALTER TABLE ledger.journal_entry ENABLE TRIGGER journal_entry_append_only');
    } finally {
      client.release();
    }
    const result = await verifyJournal(f.pool);
    assert.equal(result.ok, false);
    assert.equal(result.ok === false && result.firstBadSeq, 21n);
    assert.equal(result.ok === false && result.reason, 'hash');
    // A range that ends before the edit is still intact.
    assert.equal((await verifyJournal(f.pool, { fromSeq: 1n, toSeq: 20n })).ok, true);
    // Editing the entry's content cannot hide an edit of the transfer either: it is found as hash.

    const bundleAfter = (await f.transferInclusionProof(transfers[20]!))!;
    assert.equal(verifyProofBundle(bundleAfter, key.publicKeyPem).ok, false, 'the edited entry no longer hashes to the signed tree');
    assert.deepEqual(verifyProofBundle(bundleBefore, key.publicKeyPem), { ok: true }, 'a proof taken before the edit still holds');
    assert.equal(runVerifier(bundleAfter, key.publicKeyPem).status, 1);
  });

  it('finds a transfer row edited in place (its journal entry untouched) as a mismatch', async () => {
    const client = await f.pool.connect();
    try {
      await client.query('ALTER TABLE ledger.transfer DISABLE TRIGGER transfer_append_only');
      await client.query('UPDATE ledger.transfer SET amount = amount + 1 WHERE journal_seq = 9');
      await client.query('ALTER TABLE ledger.transfer ENABLE TRIGGER transfer_append_only');
    } finally {
      client.release();
    }
    const result = await verifyJournal(f.pool, { fromSeq: 1n, toSeq: 20n });
    assert.deepEqual(result.ok === false && [result.firstBadSeq, result.reason], [9n, 'mismatch']);
  });

  it('a re-hashed entry still does not describe its transfer, and breaks the link to the next', async () => {
    const client = await f.pool.connect();
    try {
      await client.query('ALTER TABLE ledger.journal_entry DISABLE TRIGGER journal_entry_append_only');
      // Re-hash entry 21 to match its edited content: the chain then breaks at 22.
      const row = await client.query<{ prev_hash: Buffer; content: string }>('SELECT prev_hash, content FROM ledger.journal_entry WHERE seq = 21');
      const { chainHash } = await import('@baas/ledger-proofs');
      await client.query('UPDATE ledger.journal_entry SET hash = $1 WHERE seq = 21', [chainHash(row.rows[0]!.prev_hash, row.rows[0]!.content)]);
      await client.query('ALTER TABLE ledger.journal_entry ENABLE TRIGGER journal_entry_append_only');
    } finally {
      client.release();
    }
    const result = await verifyJournal(f.pool, { fromSeq: 10n });
    assert.deepEqual(result.ok === false && [result.firstBadSeq, result.reason], [21n, 'mismatch']);
    const { verifyChain } = await import('@baas/ledger-proofs');
    const rows = await f.pool.query<{ seq: string; content: string; prev_hash: Buffer; hash: Buffer }>('SELECT seq, content, prev_hash, hash FROM ledger.journal_entry WHERE seq BETWEEN 20 AND 25 ORDER BY seq');
    const chain = verifyChain(rows.rows.map((r) => ({ seq: BigInt(r.seq), content: r.content, prevHash: r.prev_hash, hash: r.hash })), { firstSeq: 20n, expectedPrevHash: rows.rows[0]!.prev_hash });
    assert.deepEqual(chain.ok === false && [chain.firstBadSeq, chain.reason], [22n, 'link']);
  });
});
