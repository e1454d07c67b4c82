import { randomUUID } from 'node:crypto';
import type pg from 'pg';
import { createPool } from '@baas/db';
import { createLogger } from '@baas/observability';
import { createTestDatabase } from '@baas/testing';
import { createLedgerAccounts } from '../../src/services/ledger-accounts';
import { LedgerWriter } from '../../src/services/ledger-writer';
import { ACCOUNT_COLUMNS, accountFromRow, type AccountRow } from '../../src/services/rows';
import type { AccountState, TransferRequest } from '../../src/services/types';

export const silentLogger = createLogger({ service: 'ledger-test', level: 'silent' });

/** A migrated, isolated database with a pool and a writer, for one test file. */
export async function createLedgerFixture(opts: { poolSize?: number; maxBatchSize?: number } = {}) {
  const db = await createTestDatabase({ domains: ['ledger'] });
  const pool = createPool(db.url, { max: opts.poolSize ?? 8 });
  const writer = new LedgerWriter({ pool, logger: silentLogger, maxBatchSize: opts.maxBatchSize });
  return {
    db,
    pool,
    writer,
    /** Another writer on its own pool: what a second ledger instance would be. */
    secondWriter() {
      const otherPool = createPool(db.url, { max: 4 });
      return { writer: new LedgerWriter({ pool: otherPool, logger: silentLogger }), pool: otherPool };
    },
    async accounts(specs: { currency?: string; flags?: number; customerId?: string }[]): Promise<string[]> {
      const requests = specs.map((s) => ({ id: randomUUID(), tenantId: null, customerId: s.customerId ?? null, currency: s.currency ?? 'BRL', code: 100, flags: s.flags ?? 0 }));
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
