import type pg from 'pg';
import type { StoredCheckpoint } from '../domain/checkpoint';

export type { StoredCheckpoint } from '../domain/checkpoint';

type CheckpointRow = { tree_size: string; root_hash: Buffer; chain_head: Buffer; timestamp: Date; key_id: string; signature: Buffer };

const fromRow = (row: CheckpointRow): StoredCheckpoint => ({
  treeSize: BigInt(row.tree_size),
  rootHash: row.root_hash,
  chainHead: row.chain_head,
  timestamp: row.timestamp.toISOString(),
  keyId: row.key_id,
  signature: row.signature,
});

/** Signed tree heads over the journal, one per tree size. */
export function createCheckpointStore(pool: pg.Pool) {
  return {
    async latest(): Promise<StoredCheckpoint | null> {
      const row = await pool.query<CheckpointRow>('SELECT * FROM ledger.checkpoint ORDER BY tree_size DESC LIMIT 1');
      return row.rows[0] ? fromRow(row.rows[0]) : null;
    },
    /** Stores a checkpoint; one for the same tree size already stored wins (ON CONFLICT DO NOTHING). */
    async insert(c: StoredCheckpoint): Promise<void> {
      await pool.query(
        `INSERT INTO ledger.checkpoint (tree_size, root_hash, chain_head, timestamp, key_id, signature)
         VALUES ($1, $2, $3, $4, $5, $6) ON CONFLICT (tree_size) DO NOTHING`,
        [c.treeSize.toString(), c.rootHash, c.chainHead, c.timestamp, c.keyId, c.signature],
      );
    },
  };
}

export type CheckpointStore = ReturnType<typeof createCheckpointStore>;
