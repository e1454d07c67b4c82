import type { Identity } from '@baas/auth';
import { requireInternal } from '@baas/server';
import type { TransferRequest, TransferResult } from '../domain/types';

export type TransferWriterDeps = { writer: { submit(requests: TransferRequest[], opts?: { linked?: boolean }): Promise<TransferResult[]> } };

/**
 * Commits SINGLE and PENDING transfers through the batch writer (group commit); `linked` makes them
 * succeed or fail together. Internal services and operators only. Idempotent by transfer id.
 */
export async function createTransfers(deps: TransferWriterDeps, identity: Identity | null, args: { transfers: TransferRequest[]; linked: boolean }): Promise<TransferResult[]> {
  requireInternal(identity);
  return deps.writer.submit(args.transfers, { linked: args.linked });
}
