import { createByIdLoader, createGroupLoader, type SubgraphContext } from '@baas/server';
import type { CheckpointKey } from './domain/checkpoint';
import type { TransferRecord } from './domain/types';
import type { CheckpointStore } from './store/checkpoint-store';
import type { JournalStore } from './store/journal-store';
import type { LedgerAccountRow, LedgerAccountStore } from './store/ledger-account-store';
import type { StatementStore } from './store/statement-store';
import type { TransferStore } from './store/transfer-store';
import type { LedgerCheckpointSigner } from './workers/checkpoint-signer';
import type { LedgerWriter } from './workers/ledger-writer';

/** The ledger's stores, opened once by the composition root. */
export type LedgerStores = {
  accounts: LedgerAccountStore;
  transfers: TransferStore;
  journal: JournalStore;
  checkpoints: CheckpointStore;
  statements: StatementStore;
};

/** The per-request loaders of the ledger: one batched read per entity per request. */
export function createLedgerLoaders(stores: Pick<LedgerStores, 'accounts' | 'transfers'>) {
  return {
    account: createByIdLoader<string, LedgerAccountRow>((ids) => stores.accounts.findByIds(ids)),
    transfer: createByIdLoader<string, TransferRecord>((ids) => stores.transfers.findByIds(ids)),
    /** The POST, VOID or EXPIRE that resolved a pending transfer, by the pending transfer's id. */
    resolution: createGroupLoader<string, TransferRecord>((t) => t.pendingId!, (ids) => stores.transfers.findResolutions(ids)),
  };
}

export type LedgerLoaders = ReturnType<typeof createLedgerLoaders>;

/** What the ledger resolvers receive: the request's identity, its loaders, the stores, the batch writer and the checkpoint signer. */
export type LedgerContext = SubgraphContext & {
  loaders: LedgerLoaders;
  stores: LedgerStores;
  writer: LedgerWriter;
  signer: LedgerCheckpointSigner;
  checkpointKey: CheckpointKey;
};
