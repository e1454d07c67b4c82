import { missingRecord, requireIdentity, type Identity } from '@baas/auth';
import { forbidden } from '@baas/errors';
import { isUuid } from '@baas/server';
import type { TransferRecord } from '../domain/types';
import { maySeeTransfer } from '../permissions';
import type { AccountLoader } from './get-ledger-account';

export type GetTransferDeps = { transfers: { load(id: string): Promise<TransferRecord | null> }; accounts: AccountLoader };

/** A transfer the caller may read: it must see at least one of its two accounts. */
export async function getTransfer(deps: GetTransferDeps, identity: Identity | null, args: { id: string }): Promise<TransferRecord> {
  const who = requireIdentity(identity);
  const transfer = isUuid(args.id) ? await deps.transfers.load(args.id.toLowerCase()) : null;
  if (!transfer) throw missingRecord(who, 'Transfer');
  const [debit, credit] = await Promise.all([deps.accounts.load(transfer.debitAccountId), deps.accounts.load(transfer.creditAccountId)]);
  if (!maySeeTransfer(who, debit, credit)) throw forbidden();
  return transfer;
}
