import type pg from 'pg';

export type StatementEntryRow = {
  transferId: string;
  at: string;
  amount: string;
  runningBalance: string;
  counterpartyAccountId: string;
  code: number;
  metadata: Record<string, unknown> | null;
};

export type StatementPageRow = { openingBalance: string; entries: StatementEntryRow[]; endCursor: string | null; hasNextPage: boolean };

/**
 * An account's statement over [from, to): its posted entries (SINGLE transfers and POSTs of pending ones;
 * PENDING, VOID and EXPIRE never move the posted balance) ordered by journal position, each signed from the
 * account's side (credit +, debit −) with the running posted balance after it, computed in SQL with a window
 * function. The opening balance is the sum of posted effects committed before `from`. The cursor is the journal
 * sequence number of the last entry of a page; the running balance of a later page still counts every entry of
 * the period before the cursor, so pages chain exactly. The POST of a pending transfer shows the hold's metadata
 * (where the client's description and id were written) with the POST's own merged over it.
 */
export function createStatementStore(pool: pg.Pool) {
  return { page: (accountId: string, window: StatementWindow) => statementPage(pool, accountId, window) };
}

export type StatementStore = ReturnType<typeof createStatementStore>;

/** A checked statement window (@baas/server parseStatementWindow). */
export type StatementWindow = { first: number; from: Date | null; to: Date | null; after: string | null };

async function statementPage(pool: pg.Pool, accountId: string, { first, from, to, after }: StatementWindow): Promise<StatementPageRow> {
  // Two index scans (debit side, credit side: (account, journal_seq) indexes), then the window over the page.
  const { rows } = await pool.query<{
    opening: string;
    id: string | null;
    created_at: Date | null;
    amount: string | null;
    running: string | null;
    counterparty: string | null;
    code: number | null;
    metadata: Record<string, unknown> | null;
    journal_seq: string | null;
  }>(
    `WITH e AS (
       SELECT id, created_at, code, metadata, journal_seq, pending_id, -amount AS amount, credit_account_id AS counterparty
         FROM ledger.transfer WHERE debit_account_id = $1::uuid AND kind IN ('SINGLE', 'POST')
       UNION ALL
       SELECT id, created_at, code, metadata, journal_seq, pending_id, amount, debit_account_id
         FROM ledger.transfer WHERE credit_account_id = $1::uuid AND kind IN ('SINGLE', 'POST')
     ),
     period AS (
       SELECT * FROM e
        WHERE ($2::timestamptz IS NULL OR created_at >= $2::timestamptz)
          AND ($3::timestamptz IS NULL OR created_at < $3::timestamptz)
     ),
     opening AS (
       SELECT (SELECT COALESCE(SUM(amount), 0) FROM e WHERE $2::timestamptz IS NOT NULL AND created_at < $2::timestamptz) AS opening,
              (SELECT COALESCE(SUM(amount), 0) FROM period WHERE $4::bigint IS NOT NULL AND journal_seq <= $4::bigint) AS before_cursor
     ),
     page AS (
       SELECT * FROM period WHERE $4::bigint IS NULL OR journal_seq > $4::bigint ORDER BY journal_seq LIMIT $5
     )
     SELECT o.opening::text AS opening, p.id, p.created_at, p.amount::text AS amount, p.counterparty, p.code,
            CASE WHEN h.metadata IS NULL THEN p.metadata ELSE h.metadata::jsonb || COALESCE(p.metadata::jsonb, '{}'::jsonb) END AS metadata,
            p.journal_seq::text AS journal_seq,
            (o.opening + o.before_cursor + SUM(p.amount) OVER (ORDER BY p.journal_seq ROWS UNBOUNDED PRECEDING))::text AS running
       FROM opening o LEFT JOIN page p ON true
       LEFT JOIN ledger.transfer h ON h.id = p.pending_id
      ORDER BY p.journal_seq`,
    [accountId, from, to, after, first + 1],
  );
  const openingBalance = rows[0]?.opening ?? '0';
  const entries = rows.filter((r) => r.id !== null);
  const page = entries.slice(0, first);
  const last = page[page.length - 1];
  return {
    openingBalance,
    entries: page.map((r) => ({
      transferId: r.id!,
      at: r.created_at!.toISOString(),
      amount: r.amount!,
      runningBalance: r.running!,
      counterpartyAccountId: r.counterparty!,
      code: r.code!,
      metadata: r.metadata ?? null,
    })),
    endCursor: last ? last.journal_seq : (after ?? null),
    hasNextPage: entries.length > first,
  };
}
