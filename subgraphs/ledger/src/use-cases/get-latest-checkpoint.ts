import { requireIdentity, type Identity } from '@baas/auth';
import type { CheckpointStore, StoredCheckpoint } from '../store/checkpoint-store';

/** The latest signed checkpoint (public to every signed-in caller: it says nothing about any account). */
export async function getLatestCheckpoint(deps: { checkpoints: Pick<CheckpointStore, 'latest'> }, identity: Identity | null, _args: object = {}): Promise<StoredCheckpoint | null> {
  requireIdentity(identity);
  return deps.checkpoints.latest();
}
