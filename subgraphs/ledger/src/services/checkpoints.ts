import { createHash, createPrivateKey, createPublicKey, type KeyObject } from 'node:crypto';
import type pg from 'pg';
import { journalContent } from './journal';
import { TRANSFER_COLUMNS, transferFromRow, type TransferRow } from './rows';
import {
  inclusionProof,
  leafHash,
  merkleRoot,
  signCheckpoint,
  verifyChain,
  type Checkpoint,
  type InclusionProofBundle,
} from '@baas/ledger-proofs';

export type CheckpointKey = { privateKey: KeyObject; publicKeyPem: string; keyId: string };

/** The checkpoint signing key; its id is the first 16 hex digits of SHA-256 of the public key (SPKI DER). */
export function loadCheckpointKey(privateKeyPem: string): CheckpointKey {
  const privateKey = createPrivateKey(privateKeyPem);
  const publicKey = createPublicKey(privateKey);
  const keyId = createHash('sha256').update(publicKey.export({ type: 'spki', format: 'der' })).digest('hex').slice(0, 16);
  return { privateKey, publicKeyPem: publicKey.export({ type: 'spki', format: 'pem' }).toString(), keyId };
}

export type StoredCheckpoint = Checkpoint & { signature: Buffer };

type CheckpointRow = { tree_size: string; root_hash: Buffer; chain_head: Buffer; timestamp: Date; key_id: string; signature: Buffer };

const fromRow = (row: CheckpointRow): StoredCheckpoint => ({
  treeSize: BigInt(row.tree_size),
  rootHash: row.root_hash,
  chainHead: row.chain_head,
  timestamp: row.timestamp.toISOString(),
  keyId: row.key_id,
  signature: row.signature,
});

/** Leaf hashes of journal entries 1..treeSize (the leaf data is each entry's chain hash). */
async function leafHashes(pool: pg.Pool, treeSize: bigint): Promise<Buffer[]> {
  const rows = await pool.query<{ hash: Buffer }>('SELECT hash FROM ledger.journal_entry WHERE seq <= $1 ORDER BY seq', [treeSize.toString()]);
  return rows.rows.map((r) => leafHash(r.hash));
}

export async function latestCheckpoint(pool: pg.Pool): Promise<StoredCheckpoint | null> {
  const row = await pool.query<CheckpointRow>('SELECT * FROM ledger.checkpoint ORDER BY tree_size DESC LIMIT 1');
  return row.rows[0] ? fromRow(row.rows[0]) : null;
}

/**
 * Signs a checkpoint over the whole journal as it is now; returns the latest one unchanged when no
 * entry was added since. (Recomputes the tree from every leaf: fine to millions of entries; a
 * stored Merkle frontier would make it incremental.)
 */
export async function createCheckpoint(pool: pg.Pool, key: CheckpointKey): Promise<StoredCheckpoint | null> {
  const head = await pool.query<{ seq: string; hash: Buffer }>('SELECT seq, hash FROM ledger.journal_entry ORDER BY seq DESC LIMIT 1');
  if (!head.rows[0]) return null;
  const treeSize = BigInt(head.rows[0].seq);
  const latest = await latestCheckpoint(pool);
  if (latest && latest.treeSize >= treeSize) return latest;
  const checkpoint: Checkpoint = {
    treeSize,
    rootHash: merkleRoot(await leafHashes(pool, treeSize)),
    chainHead: head.rows[0].hash,
    timestamp: new Date().toISOString(),
    keyId: key.keyId,
  };
  const signature = signCheckpoint(checkpoint, key.privateKey);
  await pool.query(
    `INSERT INTO ledger.checkpoint (tree_size, root_hash, chain_head, timestamp, key_id, signature)
     VALUES ($1, $2, $3, $4, $5, $6) ON CONFLICT (tree_size) DO NOTHING`,
    [treeSize.toString(), checkpoint.rootHash, checkpoint.chainHead, checkpoint.timestamp, checkpoint.keyId, signature],
  );
  return (await latestCheckpoint(pool))!;
}

/** An inclusion proof of a transfer's journal entry against the latest checkpoint that covers it. */
export async function transferInclusionProof(pool: pg.Pool, transferId: string): Promise<InclusionProofBundle | null> {
  const entry = await pool.query<{ seq: string; content: string; prev_hash: Buffer; hash: Buffer }>(
    'SELECT seq, content, prev_hash, hash FROM ledger.journal_entry WHERE transfer_id = $1',
    [transferId],
  );
  const checkpoint = await latestCheckpoint(pool);
  const row = entry.rows[0];
  if (!row || !checkpoint || BigInt(row.seq) > checkpoint.treeSize) return null;
  const leaves = await leafHashes(pool, checkpoint.treeSize);
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

/**
 * Checks the hash chain from `fromSeq` to `toSeq` (default: the whole journal), in chunks, and that
 * every entry still describes its transfer row. Reasons: hash (an entry's content changed), link
 * (the chain is broken), gap (an entry is missing), mismatch (a transfer row no longer matches its
 * entry).
 */
export async function verifyJournal(pool: pg.Pool, range: { fromSeq?: bigint; toSeq?: bigint } = {}) {
  const head = await pool.query<{ seq: string }>('SELECT coalesce(max(seq), 0) AS seq FROM ledger.journal_entry');
  const from = range.fromSeq ?? 1n;
  const to = range.toSeq ?? BigInt(head.rows[0]!.seq);
  if (to < from) return { ok: true as const, fromSeq: from, toSeq: to, checked: 0 };
  const chunk = 10_000n;
  let expectedPrevHash: Buffer | undefined;
  if (from > 1n) {
    const prev = await pool.query<{ hash: Buffer }>('SELECT hash FROM ledger.journal_entry WHERE seq = $1', [(from - 1n).toString()]);
    expectedPrevHash = prev.rows[0]?.hash;
    if (!expectedPrevHash) return { ok: false as const, fromSeq: from, toSeq: to, checked: 0, firstBadSeq: from - 1n, reason: 'gap' };
  }
  let checked = 0;
  for (let start = from; start <= to; start += chunk) {
    const end = start + chunk - 1n < to ? start + chunk - 1n : to;
    // Each entry with the transfer row it commits: the stored content must also still describe the
    // row, so a transfer edited in place (not only its journal entry) is found too.
    const rows = await pool.query<{ seq: string; content: string; prev_hash: Buffer; hash: Buffer } & Partial<TransferRow>>(
      `SELECT j.seq, j.content, j.prev_hash, j.hash, ${TRANSFER_COLUMNS.split(',').map((c) => `t.${c.trim()}`).join(', ')}
         FROM ledger.journal_entry j LEFT JOIN ledger.transfer t ON t.id = j.transfer_id
        WHERE j.seq BETWEEN $1 AND $2 ORDER BY j.seq`,
      [start.toString(), end.toString()],
    );
    const entries = rows.rows.map((r) => ({ seq: BigInt(r.seq), content: r.content, prevHash: r.prev_hash, hash: r.hash }));
    if (entries.length === 0 || entries[0]!.seq !== start) {
      return { ok: false as const, fromSeq: from, toSeq: to, checked, firstBadSeq: start, reason: 'gap' };
    }
    const result = verifyChain(entries, { expectedPrevHash, firstSeq: start });
    const mismatch = rows.rows.find((r) => !r.id || journalContent(transferFromRow(r as TransferRow)) !== r.content);
    const mismatchSeq = mismatch ? BigInt(mismatch.seq) : undefined;
    if (mismatchSeq !== undefined && (result.ok || mismatchSeq < result.firstBadSeq)) {
      return { ok: false as const, fromSeq: from, toSeq: to, checked: checked + Number(mismatchSeq - start), firstBadSeq: mismatchSeq, reason: 'mismatch' };
    }
    if (!result.ok) return { ok: false as const, fromSeq: from, toSeq: to, checked: checked + Number(result.firstBadSeq - start), firstBadSeq: result.firstBadSeq, reason: result.reason };
    if (entries[entries.length - 1]!.seq !== end) {
      return { ok: false as const, fromSeq: from, toSeq: to, checked: checked + entries.length, firstBadSeq: entries[entries.length - 1]!.seq + 1n, reason: 'gap' };
    }
    checked += entries.length;
    expectedPrevHash = entries[entries.length - 1]!.hash;
  }
  return { ok: true as const, fromSeq: from, toSeq: to, checked };
}
