import type pg from 'pg';
import { leafHash } from '@baas/ledger-proofs';
import type { JournalEntryRow } from '../domain/checkpoint';
import { TRANSFER_COLUMNS, type TransferRow } from './transfer-store';

/** A journal entry with the transfer row it commits (the transfer's columns absent when the row is gone). */
export type EntryWithTransfer = JournalEntryRow & Partial<TransferRow>;

/** Reads of the hash-chained journal (the batch store writes it, under the ledger lock). */
export function createJournalStore(pool: pg.Pool) {
  return {
    /** The last entry's sequence number and hash; null while the journal is empty. */
    async head(): Promise<{ seq: bigint; hash: Buffer } | null> {
      const head = await pool.query<{ seq: string; hash: Buffer }>('SELECT seq, hash FROM ledger.journal_entry ORDER BY seq DESC LIMIT 1');
      return head.rows[0] ? { seq: BigInt(head.rows[0].seq), hash: head.rows[0].hash } : null;
    },
    /** The highest sequence number, 0 while the journal is empty. */
    async lastSeq(): Promise<bigint> {
      const head = await pool.query<{ seq: string }>('SELECT coalesce(max(seq), 0) AS seq FROM ledger.journal_entry');
      return BigInt(head.rows[0]!.seq);
    },
    async hashAt(seq: bigint): Promise<Buffer | undefined> {
      const prev = await pool.query<{ hash: Buffer }>('SELECT hash FROM ledger.journal_entry WHERE seq = $1', [seq.toString()]);
      return prev.rows[0]?.hash;
    },
    /** Leaf hashes of journal entries 1..treeSize (the leaf data is each entry's chain hash). */
    async leafHashes(treeSize: bigint): Promise<Buffer[]> {
      const rows = await pool.query<{ hash: Buffer }>('SELECT hash FROM ledger.journal_entry WHERE seq <= $1 ORDER BY seq', [treeSize.toString()]);
      return rows.rows.map((r) => leafHash(r.hash));
    },
    async entryOfTransfer(transferId: string): Promise<JournalEntryRow | undefined> {
      const entry = await pool.query<JournalEntryRow>('SELECT seq, content, prev_hash, hash FROM ledger.journal_entry WHERE transfer_id = $1', [transferId]);
      return entry.rows[0];
    },
    /** Entries `start`..`end` in order, each with the transfer row it commits. */
    async entriesWithTransfers(start: bigint, end: bigint): Promise<EntryWithTransfer[]> {
      const rows = await pool.query<EntryWithTransfer>(
        `SELECT j.seq, j.content, j.prev_hash, j.hash, ${TRANSFER_COLUMNS.split(',').map((c) => `t.${c.trim()}`).join(', ')}
           FROM ledger.journal_entry j LEFT JOIN ledger.transfer t ON t.id = j.transfer_id
          WHERE j.seq BETWEEN $1 AND $2 ORDER BY j.seq`,
        [start.toString(), end.toString()],
      );
      return rows.rows;
    },
  };
}

export type JournalStore = ReturnType<typeof createJournalStore>;
