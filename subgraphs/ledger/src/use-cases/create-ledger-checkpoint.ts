import type { Identity } from '@baas/auth';
import { forbidden } from '@baas/errors';
import { requireInternal } from '@baas/server';
import { maySignCheckpointOnDemand } from '../permissions';
import type { StoredCheckpoint } from '../store/checkpoint-store';

export type CheckpointSigner = { signNow(): Promise<StoredCheckpoint | null> };

/** Signs a checkpoint now, on an operator's demand (the ledger also signs one on its own timer). */
export async function createLedgerCheckpoint(deps: { signer: CheckpointSigner }, identity: Identity | null, _args: object = {}): Promise<StoredCheckpoint | null> {
  const who = requireInternal(identity);
  if (!maySignCheckpointOnDemand(who)) throw forbidden('Only operators may sign checkpoints on demand.');
  return deps.signer.signNow();
}
