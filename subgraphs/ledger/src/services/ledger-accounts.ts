import { createHash } from 'node:crypto';
import type pg from 'pg';
import { canonicalize } from '@baas/ledger-proofs';
import { isCurrencyCode } from '@baas/money';
import { ACCOUNT_FLAGS } from './types';

export type CreateAccountRequest = {
  id: string;
  tenantId: string | null;
  customerId: string | null;
  currency: string;
  code: number;
  flags: number;
  metadata?: Record<string, unknown>;
};

export type CreateAccountResult =
  | { id: string; status: 'CREATED' | 'REPLAYED' }
  | { id: string; status: 'FAILED'; error: 'IDEMPOTENCY_KEY_REUSED' | 'INVALID_CURRENCY' | 'INVALID_FLAGS' };

function accountRequestHash(r: CreateAccountRequest): string {
  const { id: _id, ...rest } = r;
  return createHash('sha256').update(canonicalize({ ...rest, metadata: rest.metadata ?? null } as never)).digest('hex');
}

const VALID_FLAGS = new Set([0, ACCOUNT_FLAGS.DEBITS_MUST_NOT_EXCEED_CREDITS, ACCOUNT_FLAGS.CREDITS_MUST_NOT_EXCEED_DEBITS]);

/**
 * Creates ledger accounts, idempotently by id: one INSERT ... ON CONFLICT DO NOTHING, then the
 * rows that already existed are compared with the request (same request: a replay; different:
 * IDEMPOTENCY_KEY_REUSED). Accounts start at zero; only transfers change their counters.
 */
export async function createLedgerAccounts(pool: pg.Pool, requests: CreateAccountRequest[]): Promise<CreateAccountResult[]> {
  const results = new Map<string, CreateAccountResult>();
  const valid: (CreateAccountRequest & { hash: string })[] = [];
  for (const r of requests) {
    if (!isCurrencyCode(r.currency)) results.set(r.id, { id: r.id, status: 'FAILED', error: 'INVALID_CURRENCY' });
    else if (!VALID_FLAGS.has(r.flags)) results.set(r.id, { id: r.id, status: 'FAILED', error: 'INVALID_FLAGS' });
    else valid.push({ ...r, hash: accountRequestHash(r) });
  }
  if (valid.length > 0) {
    const inserted = await pool.query<{ id: string }>(
      `INSERT INTO ledger.ledger_account (id, tenant_id, customer_id, currency, code, flags, metadata, request_hash)
       SELECT * FROM unnest($1::uuid[], $2::uuid[], $3::uuid[], $4::char(3)[], $5::int[], $6::int[], $7::jsonb[], $8::text[])
       ON CONFLICT (id) DO NOTHING RETURNING id`,
      [
        valid.map((r) => r.id),
        valid.map((r) => r.tenantId),
        valid.map((r) => r.customerId),
        valid.map((r) => r.currency),
        valid.map((r) => r.code),
        valid.map((r) => r.flags),
        valid.map((r) => (r.metadata ? JSON.stringify(r.metadata) : null)),
        valid.map((r) => r.hash),
      ],
    );
    const created = new Set(inserted.rows.map((r) => r.id));
    const others = valid.filter((r) => !created.has(r.id));
    const existing = others.length
      ? await pool.query<{ id: string; request_hash: string }>('SELECT id, request_hash FROM ledger.ledger_account WHERE id = ANY($1::uuid[])', [others.map((r) => r.id)])
      : { rows: [] };
    const hashes = new Map(existing.rows.map((r) => [r.id, r.request_hash]));
    for (const r of valid) {
      if (created.has(r.id)) results.set(r.id, { id: r.id, status: 'CREATED' });
      else results.set(r.id, hashes.get(r.id) === r.hash ? { id: r.id, status: 'REPLAYED' } : { id: r.id, status: 'FAILED', error: 'IDEMPOTENCY_KEY_REUSED' });
    }
  }
  return requests.map((r) => results.get(r.id)!);
}
