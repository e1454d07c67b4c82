import type pg from 'pg';
import { GENESIS_HASH } from '@baas/ledger-proofs';
import { applyBatch, type BatchJob, type BatchOutcome } from '../domain/apply-batch';
import { buildJournal } from '../domain/journal';
import type { AccountState, PendingState, TransferRecord } from '../domain/types';
import { ACCOUNT_COLUMNS, accountFromRow, type AccountRow } from './ledger-account-store';
import { TRANSFER_COLUMNS, transferFromRow, type TransferRow } from './transfer-store';

/**
 * One lock for every ledger write, held to the end of the batch's transaction: batches from all
 * ledger instances commit one after another, so the journal is gapless and in commit order, no
 * balance update is lost, no row lock is taken on the hot path, and no deadlock is possible.
 * Throughput comes from batching (group commit) and pipelining, not from concurrency inside the
 * database.
 */
export const LEDGER_WRITE_LOCK = 7_171_001n;

export type ChainHead = { seq: bigint; hash: Buffer };

/** The state a batch leaves behind: what the next batch may start from while this one is written. */
export type BatchTail = {
  head: ChainHead;
  accounts: Map<string, AccountState>;
  pendings: Map<string, PendingState>;
  created: Map<string, TransferRecord>;
};

/** A batch applied in memory, with its SQL parameters built: ready to write. */
export type PreparedBatch = {
  outcome: BatchOutcome;
  tail: BatchTail;
  write: (client: pg.ClientBase) => Promise<void>;
  /** Set when the batch was prepared ahead of its lock and written as prepared. */
  speculative?: boolean;
};

const PENDING_SELECT = `SELECT ${TRANSFER_COLUMNS.split(',').map((c) => `p.${c.trim()}`).join(', ')}, r.kind AS resolved_by
   FROM ledger.transfer p LEFT JOIN ledger.transfer r ON r.pending_id = p.id
  WHERE p.id = ANY($1::uuid[])`;

/**
 * Reads what the batch needs that `overlay` (the previous batch's tail) does not already hold:
 * transfers with the batch's ids (idempotency), the pending transfers it resolves, its accounts.
 */
export async function loadBatchState(client: pg.ClientBase, jobs: BatchJob[], overlay?: BatchTail) {
  const requests = jobs.flatMap((j) => j.requests);
  const ids = [...new Set(requests.map((r) => r.id))].filter((id) => !overlay?.created.has(id));
  const pendingIds = [...new Set(requests.flatMap((r) => ('pendingId' in r ? [r.pendingId] : [])))].filter((id) => !overlay?.pendings.has(id));
  const existingRows = await client.query<TransferRow>(`SELECT ${TRANSFER_COLUMNS} FROM ledger.transfer WHERE id = ANY($1::uuid[])`, [ids]);
  const pendingRows = pendingIds.length ? await client.query<TransferRow & { resolved_by: string | null }>(PENDING_SELECT, [pendingIds]) : { rows: [] };

  const existing = new Map<string, TransferRecord>(overlay?.created);
  for (const row of existingRows.rows) existing.set(row.id, transferFromRow(row));
  const pendings = new Map<string, PendingState>(overlay?.pendings);
  for (const row of pendingRows.rows) pendings.set(row.id, { transfer: transferFromRow(row), resolvedBy: row.resolved_by as PendingState['resolvedBy'] });

  const accountIds = new Set<string>();
  for (const r of requests) if ('debitAccountId' in r) accountIds.add(r.debitAccountId).add(r.creditAccountId);
  for (const p of pendings.values()) accountIds.add(p.transfer.debitAccountId).add(p.transfer.creditAccountId);
  const accounts = new Map<string, AccountState>();
  const missing: string[] = [];
  for (const id of accountIds) {
    const known = overlay?.accounts.get(id);
    if (known) accounts.set(id, known);
    else missing.push(id);
  }
  if (missing.length) {
    const rows = await client.query<AccountRow>(`SELECT ${ACCOUNT_COLUMNS} FROM ledger.ledger_account WHERE id = ANY($1::uuid[])`, [missing]);
    for (const row of rows.rows) accounts.set(row.id, accountFromRow(row));
  }
  return { existing, pendings, accounts };
}

/** Applies the batch in memory after `head` and builds every statement's parameters. */
export function prepareBatch(jobs: BatchJob[], loaded: Awaited<ReturnType<typeof loadBatchState>>, head: ChainHead, opts: { correlationId?: string } = {}): PreparedBatch {
  const outcome = applyBatch(jobs, { ...loaded, nextSeq: head.seq + 1n, now: new Date() });
  const created = new Map<string, TransferRecord>(outcome.created.map((t) => [t.id, t]));
  if (outcome.created.length === 0) {
    return { outcome, tail: { head, accounts: loaded.accounts, pendings: loaded.pendings, created }, write: async () => undefined };
  }
  const { journal, outbox, head: lastHash } = buildJournal({ created: outcome.created, head: head.hash, balancesAfter: outcome.balancesAfter, correlationId: opts.correlationId });
  const lastSeq = journal[journal.length - 1]!.seq;
  const touched = [...outcome.touched].map((id) => loaded.accounts.get(id)!);
  const timed = outcome.created.filter((t) => t.expiresAt !== null);

  // One statement writes the whole batch (data-modifying CTEs): a single round trip, so the write
  // does not wait on this process between statements while it prepares the next batch.
  // JSON text travels newline-joined (JSON.stringify never emits a raw newline) and is split by
  // string_to_array: PostgreSQL 15's array input is slow on thousands of quoted elements.
  const params: unknown[] = [];
  const arg = (value: unknown, cast: string) => {
    params.push(value);
    return `$${params.length}::${cast}`;
  };
  const journalSql = `INSERT INTO ledger.journal_entry (seq, transfer_id, kind, content, prev_hash, hash)
    SELECT s, t, k, c, decode(p, 'hex'), decode(h, 'hex')
      FROM unnest(${arg(journal.map((j) => j.seq.toString()), 'bigint[]')}, ${arg(journal.map((j) => j.transferId), 'uuid[]')},
                  ${arg(journal.map((j) => j.kind), 'text[]')}, string_to_array(${arg(journal.map((j) => j.content).join('\n'), 'text')}, E'\\n'),
                  ${arg(journal.map((j) => j.prevHash.toString('hex')), 'text[]')}, ${arg(journal.map((j) => j.hash.toString('hex')), 'text[]')}) AS x(s, t, k, c, p, h)`;
  const transferSql = transferInsertSql(outcome.created, arg);
  const accountSql = `UPDATE ledger.ledger_account a
       SET debits_posted = v.dp, credits_posted = v.cp, debits_pending = v.dpe, credits_pending = v.cpe
      FROM unnest(${arg(touched.map((a) => a.id), 'uuid[]')}, ${arg(touched.map((a) => a.debitsPosted.toString()), 'bigint[]')},
                  ${arg(touched.map((a) => a.creditsPosted.toString()), 'bigint[]')}, ${arg(touched.map((a) => a.debitsPending.toString()), 'bigint[]')},
                  ${arg(touched.map((a) => a.creditsPending.toString()), 'bigint[]')}) AS v(id, dp, cp, dpe, cpe)
     WHERE a.id = v.id`;
  const outboxSql = `INSERT INTO ledger.outbox_event (seq, event_id, subject, payload)
    SELECT * FROM unnest(${arg(outbox.map((o) => o.seq.toString()), 'bigint[]')}, ${arg(outbox.map((o) => o.eventId), 'uuid[]')},
                         ${arg(outbox.map((o) => o.subject), 'text[]')}, string_to_array(${arg(outbox.map((o) => o.payload).join('\n'), 'text')}, E'\\n'))`;
  const expirySql = timed.length
    ? `, expiry AS (INSERT INTO ledger.pending_expiry (pending_id, expires_at)
         SELECT * FROM unnest(${arg(timed.map((t) => t.id), 'uuid[]')}, ${arg(timed.map((t) => t.expiresAt!.toISOString()), 'timestamptz[]')}))`
    : '';
  const sql = `WITH journal AS (${journalSql}), transfers AS (${transferSql}), accounts AS (${accountSql}), outbox AS (${outboxSql})${expirySql}
    SELECT pg_notify('ledger_outbox', ${arg(lastSeq.toString(), 'text')})`;

  const write = async (client: pg.ClientBase) => {
    await client.query(sql, params);
  };
  return { outcome, tail: { head: { seq: lastSeq, hash: lastHash }, accounts: loaded.accounts, pendings: loaded.pendings, created }, write };
}

/**
 * The transfer INSERT. Columns that are the same for the whole batch (the commit time, and the
 * optional columns when no transfer of the batch uses them) go as one value, not as an array of
 * thousands: PostgreSQL parses less.
 */
function transferInsertSql(created: TransferRecord[], arg: (value: unknown, cast: string) => string): string {
  const column = <T>(pick: (t: TransferRecord) => T | null, cast: string, encode: (v: T) => unknown = (v) => v) => {
    if (created.every((t) => pick(t) === null)) return `NULL::${cast}[]`;
    return arg(created.map((t) => { const v = pick(t); return v === null ? null : encode(v); }), `${cast}[]`);
  };
  const metadata = created.some((t) => t.metadata)
    ? `string_to_array(${arg(created.map((t) => (t.metadata ? JSON.stringify(t.metadata) : '')).join('\n'), 'text')}, E'\\n')`
    : 'NULL::text[]';
  const arrays = [
    arg(created.map((t) => t.id), 'uuid[]'),
    arg(created.map((t) => t.kind), 'text[]'),
    arg(created.map((t) => t.debitAccountId), 'uuid[]'),
    arg(created.map((t) => t.creditAccountId), 'uuid[]'),
    arg(created.map((t) => t.amount.toString()), 'bigint[]'),
    arg(created.map((t) => t.currency), 'text[]'),
    arg(created.map((t) => t.code), 'int[]'),
    column((t) => t.pendingId, 'uuid'),
    column((t) => t.timeoutSeconds, 'int'),
    column((t) => t.expiresAt, 'timestamptz', (d) => d.toISOString()),
    column((t) => t.linkedGroup, 'uuid'),
    metadata,
    arg(created.map((t) => t.requestHash), 'text[]'),
    arg(created.map((t) => t.journalSeq.toString()), 'bigint[]'),
  ];
  const createdAt = arg(created[0]!.createdAt.toISOString(), 'timestamptz');
  return `INSERT INTO ledger.transfer (${TRANSFER_COLUMNS})
     SELECT id, kind, d, c, amount, currency, code, pending, timeout, expires, linked, NULLIF(metadata, '')::jsonb, hash, seq, ${createdAt}
       FROM unnest(${arrays.join(', ')}) AS x(id, kind, d, c, amount, currency, code, pending, timeout, expires, linked, metadata, hash, seq)`;
}

/**
 * Commits a batch in one transaction under the ledger lock. With `speculative` (prepared from the
 * previous batch's tail while that batch was being written), it is written as is when the chain
 * head is still the one it was prepared on; when another ledger instance wrote in between, it is
 * thrown away and the batch is loaded and applied again, under the lock.
 */
export async function commitBatch(
  client: pg.ClientBase,
  jobs: BatchJob[],
  opts: { correlationId?: string; speculative?: { prepared: PreparedBatch; after: ChainHead }; onPrepared?: (prepared: PreparedBatch) => void } = {},
): Promise<PreparedBatch> {
  try {
    // BEGIN, the lock and the chain head in one round trip (inside the try: if the lock or the read
    // fails after BEGIN, the transaction is rolled back like any other failure).
    const opened = (await client.query(
      `BEGIN; SELECT pg_advisory_xact_lock(${LEDGER_WRITE_LOCK}); SELECT seq, hash FROM ledger.journal_entry ORDER BY seq DESC LIMIT 1`,
    )) as unknown as pg.QueryResult<{ seq: string; hash: Buffer }>[];
    const last = opened[2]!.rows[0];
    const head: ChainHead = last ? { seq: BigInt(last.seq), hash: last.hash } : { seq: 0n, hash: GENESIS_HASH };
    let prepared = opts.speculative?.prepared;
    const after = opts.speculative?.after;
    if (!prepared || !after || after.seq !== head.seq || !after.hash.equals(head.hash)) {
      prepared = prepareBatch(jobs, await loadBatchState(client, jobs), head, opts);
    } else {
      prepared.speculative = true;
    }
    opts.onPrepared?.(prepared);
    await prepared.write(client);
    await client.query('COMMIT');
    return prepared;
  } catch (error) {
    await client.query('ROLLBACK').catch(() => undefined);
    throw error;
  }
}
