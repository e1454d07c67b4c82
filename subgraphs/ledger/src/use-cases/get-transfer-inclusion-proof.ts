import type { Identity } from '@baas/auth';
import type { InclusionProofBundle } from '@baas/ledger-proofs';
import { inclusionProofBundle } from '../domain/checkpoint';
import type { CheckpointStore } from '../store/checkpoint-store';
import type { JournalStore } from '../store/journal-store';
import { getTransfer, type GetTransferDeps } from './get-transfer';

export type InclusionProofDeps = GetTransferDeps & { journal: Pick<JournalStore, 'entryOfTransfer' | 'leafHashes'>; checkpoints: Pick<CheckpointStore, 'latest'> };

/**
 * An inclusion proof of a transfer's journal entry against the latest checkpoint that covers it
 * (null until one does), for whoever may read the transfer.
 */
export async function getTransferInclusionProof(deps: InclusionProofDeps, identity: Identity | null, args: { transferId: string }): Promise<InclusionProofBundle | null> {
  const transfer = await getTransfer(deps, identity, { id: args.transferId });
  const row = await deps.journal.entryOfTransfer(transfer.id);
  const checkpoint = await deps.checkpoints.latest();
  if (!row || !checkpoint || BigInt(row.seq) > checkpoint.treeSize) return null;
  return inclusionProofBundle(row, checkpoint, await deps.journal.leafHashes(checkpoint.treeSize));
}
