import type pg from 'pg';
import type { LedgerAccount, PrismaClient } from '../generated/prisma/client';
import type { AccountState } from '../domain/types';
import type { CreateAccountRequest } from '../domain/ledger-account';

/** A ledger account as the resolvers see it (Prisma's row). */
export type LedgerAccountRow = LedgerAccount;

export const ACCOUNT_COLUMNS = 'id, tenant_id, currency, flags, debits_posted, credits_posted, debits_pending, credits_pending';

/** The columns the writer reads (pg returns int8 as strings). */
export type AccountRow = {
  id: string;
  tenant_id: string | null;
  currency: string;
  flags: number;
  debits_posted: string;
  credits_posted: string;
  debits_pending: string;
  credits_pending: string;
};

export function accountFromRow(row: AccountRow): AccountState {
  return {
    id: row.id,
    tenantId: row.tenant_id,
    currency: row.currency,
    flags: row.flags,
    debitsPosted: BigInt(row.debits_posted),
    creditsPosted: BigInt(row.credits_posted),
    debitsPending: BigInt(row.debits_pending),
    creditsPending: BigInt(row.credits_pending),
  };
}

/**
 * Ledger accounts: created here (counters start at zero; only the batch writer changes them). The
 * Prisma client serves the per-request reads; a store opened without it (tests, the benchmark)
 * has the pg statements only.
 */
export function createLedgerAccountStore(pool: pg.Pool, db?: PrismaClient) {
  return {
    async findByIds(ids: readonly string[]): Promise<LedgerAccountRow[]> {
      if (!db) throw new Error('this ledger account store was opened without a Prisma client');
      return db.ledgerAccount.findMany({ where: { id: { in: [...ids] } } });
    },
    /** One INSERT ... ON CONFLICT DO NOTHING for the batch; returns the ids it created. */
    async insertMany(rows: (CreateAccountRequest & { hash: string })[]): Promise<Set<string>> {
      const inserted = await pool.query<{ id: string }>(
        `INSERT INTO ledger.ledger_account (id, tenant_id, customer_id, currency, code, flags, metadata, request_hash)
         SELECT * FROM unnest($1::uuid[], $2::uuid[], $3::uuid[], $4::char(3)[], $5::int[], $6::int[], $7::jsonb[], $8::text[])
         ON CONFLICT (id) DO NOTHING RETURNING id`,
        [
          rows.map((r) => r.id),
          rows.map((r) => r.tenantId),
          rows.map((r) => r.customerId),
          rows.map((r) => r.currency),
          rows.map((r) => r.code),
          rows.map((r) => r.flags),
          rows.map((r) => (r.metadata ? JSON.stringify(r.metadata) : null)),
          rows.map((r) => r.hash),
        ],
      );
      return new Set(inserted.rows.map((r) => r.id));
    },
    /** The stored request hash of each of these accounts. */
    async requestHashes(ids: readonly string[]): Promise<Map<string, string>> {
      if (ids.length === 0) return new Map();
      const existing = await pool.query<{ id: string; request_hash: string }>('SELECT id, request_hash FROM ledger.ledger_account WHERE id = ANY($1::uuid[])', [ids]);
      return new Map(existing.rows.map((r) => [r.id, r.request_hash]));
    },
  };
}

export type LedgerAccountStore = ReturnType<typeof createLedgerAccountStore>;
