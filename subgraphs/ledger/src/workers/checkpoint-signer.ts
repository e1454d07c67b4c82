import { buildCheckpoint, type CheckpointKey, type StoredCheckpoint } from '../domain/checkpoint';
import type { CheckpointStore } from '../store/checkpoint-store';
import type { JournalStore } from '../store/journal-store';

export type CheckpointSignerDeps = { journal: Pick<JournalStore, 'head' | 'leafHashes'>; checkpoints: CheckpointStore; key: CheckpointKey };

/**
 * Signs checkpoints over the whole journal: on demand (`signNow`) and every `intervalMs` once
 * started. (Recomputes the tree from every leaf: fine to millions of entries; a stored Merkle
 * frontier would make it incremental.)
 */
export function createCheckpointSigner(deps: CheckpointSignerDeps) {
  /** Signs a checkpoint over the journal as it is now; returns the latest one unchanged when no entry was added since. */
  const signNow = async (): Promise<StoredCheckpoint | null> => {
    const head = await deps.journal.head();
    if (!head) return null;
    const latest = await deps.checkpoints.latest();
    if (latest && latest.treeSize >= head.seq) return latest;
    await deps.checkpoints.insert(buildCheckpoint(head.seq, await deps.journal.leafHashes(head.seq), head.hash, deps.key));
    return (await deps.checkpoints.latest())!;
  };
  return {
    signNow,
    /** Signs every `intervalMs` (errors go to `onError`); returns the function that stops it. */
    start(intervalMs: number, onError: (error: unknown) => void): () => void {
      const timer = setInterval(() => {
        signNow().catch(onError);
      }, intervalMs);
      timer.unref();
      return () => clearInterval(timer);
    },
  };
}

export type LedgerCheckpointSigner = ReturnType<typeof createCheckpointSigner>;
