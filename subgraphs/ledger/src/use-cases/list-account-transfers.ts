import type { Identity } from '@baas/auth';
import { badInput } from '@baas/errors';
import { decodeSeqCursor, encodeSeqCursor } from '@baas/server';
import type { TransferRecord } from '../domain/types';
import type { LedgerAccountRow } from '../store/ledger-account-store';
import type { TransferStore } from '../store/transfer-store';
import { checkLedgerAccountAccess } from './check-ledger-account-access';

/** An account's transfers, newest first, `first` (1..500, default 50) after the cursor, for whoever may read the account in full. */
export async function listAccountTransfers(
  deps: { transfers: Pick<TransferStore, 'pageOfAccount'> },
  identity: Identity | null,
  args: { account: LedgerAccountRow; first?: number | null; after?: string | null },
) {
  const a = checkLedgerAccountAccess(deps, identity, args);
  const first = args.first ?? 50;
  if (first < 1 || first > 500) throw badInput('first must be between 1 and 500.', { field: 'first' });
  const before = args.after ? decodeSeqCursor(args.after) : undefined;
  const rows = await deps.transfers.pageOfAccount(a.id, first + 1, before);
  const page: TransferRecord[] = rows.slice(0, first);
  return {
    edges: page.map((node) => ({ cursor: encodeSeqCursor(node.journalSeq), node })),
    pageInfo: { hasNextPage: rows.length > first, endCursor: page.length ? encodeSeqCursor(page[page.length - 1]!.journalSeq) : null },
  };
}
