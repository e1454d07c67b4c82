import { randomUUID } from 'node:crypto';
import type pg from 'pg';
import type { Identity } from '@baas/auth';
import { createPool, createPrismaClient } from '@baas/db';
import { createLogger } from '@baas/observability';
import { createTestDatabase } from '@baas/testing';
import { createLedgerLoaders } from '../../src/context';
import type { CheckpointKey } from '../../src/domain/checkpoint';
import type { CreateAccountRequest } from '../../src/domain/ledger-account';
import type { AccountState, TransferRequest } from '../../src/domain/types';
import { PrismaClient } from '../../src/generated/prisma/client';
import { createCheckpointStore } from '../../src/store/checkpoint-store';
import { createJournalStore } from '../../src/store/journal-store';
import { ACCOUNT_COLUMNS, accountFromRow, createLedgerAccountStore, type AccountRow } from '../../src/store/ledger-account-store';
import { createTransferStore } from '../../src/store/transfer-store';
import { createLedgerAccounts as createLedgerAccountsAs } from '../../src/use-cases/create-ledger-accounts';
import { getTransferInclusionProof } from '../../src/use-cases/get-transfer-inclusion-proof';
import { verifyLedgerChain } from '../../src/use-cases/verify-ledger-chain';
import { createCheckpointSigner } from '../../src/workers/checkpoint-signer';
import { LedgerWriter } from '../../src/workers/ledger-writer';

export const silentLogger = createLogger({ service: 'ledger-test', level: 'silent' });

/** The internal service the tests act as (the ledger's writes are internal-only). */
export const TEST_SERVICE: Identity = { subject: 'ledger-test', kind: 'service', tenantId: null, scopes: [] };

/** Creates ledger accounts on `pool` as an internal service (use-cases/create-ledger-accounts.ts). */
export const createLedgerAccounts = (pool: pg.Pool, accounts: CreateAccountRequest[]) =>
  createLedgerAccountsAs({ accounts: createLedgerAccountStore(pool) }, TEST_SERVICE, { accounts });

/** Verifies the journal's hash chain on `pool` as an internal service (use-cases/verify-ledger-chain.ts). */
export const verifyJournal = (pool: pg.Pool, range: { fromSeq?: bigint; toSeq?: bigint } = {}) =>
  verifyLedgerChain({ journal: createJournalStore(pool) }, TEST_SERVICE, range);

/** Signs a checkpoint over the journal on `pool` now (workers/checkpoint-signer.ts). */
export const createCheckpoint = (pool: pg.Pool, key: CheckpointKey) =>
  createCheckpointSigner({ journal: createJournalStore(pool), checkpoints: createCheckpointStore(pool), key }).signNow();

/** A migrated, isolated database with a pool and a writer, for one test file. */
export async function createLedgerFixture(opts: { poolSize?: number; maxBatchSize?: number } = {}) {
  const db = await createTestDatabase({ domains: ['ledger'] });
  const pool = createPool(db.url, { max: opts.poolSize ?? 8 });
  const writer = new LedgerWriter({ pool, logger: silentLogger, maxBatchSize: opts.maxBatchSize });
  let prisma: PrismaClient | undefined;
  return {
    db,
    pool,
    writer,
    /** A transfer's inclusion proof, read as an internal service through the request path (use-cases/get-transfer-inclusion-proof.ts). */
    async transferInclusionProof(transferId: string) {
      prisma ??= createPrismaClient(PrismaClient, db.url);
      const loaders = createLedgerLoaders({ accounts: createLedgerAccountStore(pool, prisma), transfers: createTransferStore(pool, prisma) });
      const deps = { accounts: loaders.account, transfers: loaders.transfer, journal: createJournalStore(pool), checkpoints: createCheckpointStore(pool) };
      return getTransferInclusionProof(deps, TEST_SERVICE, { transferId });
    },
    /** Another writer on its own pool: what a second ledger instance would be. */
    secondWriter() {
      const otherPool = createPool(db.url, { max: 4 });
      return { writer: new LedgerWriter({ pool: otherPool, logger: silentLogger }), pool: otherPool };
    },
    async accounts(specs: { currency?: string; flags?: number; customerId?: string; tenantId?: string }[]): Promise<string[]> {
      const requests = specs.map((s) => ({ id: randomUUID(), tenantId: s.tenantId ?? null, customerId: s.customerId ?? null, currency: s.currency ?? 'BRL', code: 100, flags: s.flags ?? 0 }));
      const results = await createLedgerAccounts(pool, requests);
      if (results.some((r) => r.status !== 'CREATED')) throw new Error(`account creation failed: ${JSON.stringify(results)}`);
      return requests.map((r) => r.id);
    },
    async balances(ids?: string[]): Promise<Map<string, AccountState>> {
      const rows = ids
        ? await pool.query<AccountRow>(`SELECT ${ACCOUNT_COLUMNS} FROM ledger.ledger_account WHERE id = ANY($1::uuid[])`, [ids])
        : await pool.query<AccountRow>(`SELECT ${ACCOUNT_COLUMNS} FROM ledger.ledger_account`);
      return new Map(rows.rows.map((r) => [r.id, accountFromRow(r)]));
    },
    async close() {
      await prisma?.$disconnect();
      await writer.close();
      await pool.end();
      await db.drop();
    },
  };
}

export type SingleRequest = Extract<TransferRequest, { kind: 'SINGLE' | 'PENDING' }>;

export const single = (debit: string, credit: string, amount: bigint, extra: Partial<SingleRequest> = {}): SingleRequest => ({
  kind: 'SINGLE',
  id: randomUUID(),
  debitAccountId: debit,
  creditAccountId: credit,
  amount,
  currency: 'BRL',
  code: 1,
  ...extra,
});

export async function count(pool: pg.Pool, table: string): Promise<number> {
  const r = await pool.query<{ n: string }>(`SELECT count(*) AS n FROM ledger.${table}`);
  return Number(r.rows[0]!.n);
}
