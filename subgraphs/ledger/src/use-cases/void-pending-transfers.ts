import type { Identity } from '@baas/auth';
import { requireInternal } from '@baas/server';
import type { TransferRequest, TransferResult } from '../domain/types';
import type { TransferWriterDeps } from './create-transfers';

/** Releases holds, through the batch writer. Internal services and operators only. */
export async function voidPendingTransfers(deps: TransferWriterDeps, identity: Identity | null, args: { transfers: TransferRequest[]; linked: boolean }): Promise<TransferResult[]> {
  requireInternal(identity);
  return deps.writer.submit(args.transfers, { linked: args.linked });
}
