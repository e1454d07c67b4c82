import type pg from 'pg';
import { GENESIS_HASH } from '@baas/ledger-proofs';
import { applyBatch, type BatchJob, type BatchOutcome } from './apply-batch';
import { buildJournal } from './journal';
import { ACCOUNT_COLUMNS, TRANSFER_COLUMNS, accountFromRow, transferFromRow, type AccountRow, type TransferRow } from './rows';
import type { AccountState, PendingState, TransferRecord } from './types';

/**
 * One lock for every ledger write, held to the end of the batch's transaction: batches from all
 * ledger instances commit one after another, so the journal is gapless and in commit order, no
 * balance update is lost, no row lock is taken on the hot path, and no deadlock is possible.
 * Throughput comes from batching (group commit), not from concurrency inside the database.
 */
export const LEDGER_WRITE_LOCK = 7_171_001n;

/**
 * Commits a batch of jobs in one transaction: loads what the batch needs, applies it in memory
 * (applyBatch), then writes transfers, journal entries, balances and outbox events with one
 * statement each, and notifies the outbox relay.
 */
export async function commitBatch(client: pg.ClientBase, jobs: BatchJob[], opts: { correlationId?: string } = {}): Promise<BatchOutcome> {
  const requests = jobs.flatMap((j) => j.requests);
  const ids = [...new Set(requests.map((r) => r.id))];
  const pendingIds = [...new Set(requests.flatMap((r) => ('pendingId' in r ? [r.pendingId] : [])))];

  await client.query('BEGIN');
  try {
    await client.query('SELECT pg_advisory_xact_lock($1)', [LEDGER_WRITE_LOCK.toString()]);
    const headRow = await client.query<{ seq: string; hash: Buffer }>('SELECT seq, hash FROM ledger.journal_entry ORDER BY seq DESC LIMIT 1');
    const existingRows = await client.query<TransferRow>(`SELECT ${TRANSFER_COLUMNS} FROM ledger.transfer WHERE id = ANY($1::uuid[])`, [ids]);
    const pendingRows = pendingIds.length
      ? await client.query<TransferRow & { resolved_by: string | null }>(
          `SELECT ${TRANSFER_COLUMNS.split(',').map((c) => `p.${c.trim()}`).join(', ')}, r.kind AS resolved_by
             FROM ledger.transfer p LEFT JOIN ledger.transfer r ON r.pending_id = p.id
            WHERE p.id = ANY($1::uuid[])`,
          [pendingIds],
        )
      : { rows: [] };
    const pendings = new Map<string, PendingState>(
      pendingRows.rows.map((row) => [row.id, { transfer: transferFromRow(row), resolvedBy: row.resolved_by as PendingState['resolvedBy'] }]),
    );
    const accountIds = new Set<string>();
    for (const r of requests) {
      if ('debitAccountId' in r) accountIds.add(r.debitAccountId).add(r.creditAccountId);
    }
    for (const p of pendings.values()) accountIds.add(p.transfer.debitAccountId).add(p.transfer.creditAccountId);
    const accountRows = await client.query<AccountRow>(`SELECT ${ACCOUNT_COLUMNS} FROM ledger.ledger_account WHERE id = ANY($1::uuid[])`, [[...accountIds]]);
    const accounts = new Map<string, AccountState>(accountRows.rows.map((row) => [row.id, accountFromRow(row)]));

    const head = headRow.rows[0];
    const outcome = applyBatch(jobs, {
      accounts,
      existing: new Map(existingRows.rows.map((row) => [row.id, transferFromRow(row)])),
      pendings,
      nextSeq: head ? BigInt(head.seq) + 1n : 1n,
      now: new Date(),
    });

    if (outcome.created.length > 0) {
      const { journal, outbox } = buildJournal({
        created: outcome.created,
        head: head ? head.hash : GENESIS_HASH,
        balancesAfter: outcome.balancesAfter,
        correlationId: opts.correlationId,
      });
      // JSON text travels newline-joined (JSON.stringify never emits a raw newline) and is split by
      // string_to_array: PostgreSQL 15's array input is slow on thousands of quoted elements.
      await client.query(
        `INSERT INTO ledger.journal_entry (seq, transfer_id, kind, content, prev_hash, hash)
         SELECT s, t, k, c, decode(p, 'hex'), decode(h, 'hex')
           FROM unnest($1::bigint[], $2::uuid[], $3::text[], string_to_array($4::text, E'\\n'), $5::text[], $6::text[]) AS x(s, t, k, c, p, h)`,
        [
          journal.map((j) => j.seq.toString()),
          journal.map((j) => j.transferId),
          journal.map((j) => j.kind),
          journal.map((j) => j.content).join('\n'),
          journal.map((j) => j.prevHash.toString('hex')),
          journal.map((j) => j.hash.toString('hex')),
        ],
      );
      await insertTransfers(client, outcome.created);
      const touched = [...outcome.touched].map((id) => accounts.get(id)!);
      await client.query(
        `UPDATE ledger.ledger_account a
            SET debits_posted = v.dp, credits_posted = v.cp, debits_pending = v.dpe, credits_pending = v.cpe
           FROM unnest($1::uuid[], $2::bigint[], $3::bigint[], $4::bigint[], $5::bigint[]) AS v(id, dp, cp, dpe, cpe)
          WHERE a.id = v.id`,
        [
          touched.map((a) => a.id),
          touched.map((a) => a.debitsPosted.toString()),
          touched.map((a) => a.creditsPosted.toString()),
          touched.map((a) => a.debitsPending.toString()),
          touched.map((a) => a.creditsPending.toString()),
        ],
      );
      await client.query(
        `INSERT INTO ledger.outbox_event (seq, event_id, subject, payload)
         SELECT * FROM unnest($1::bigint[], $2::uuid[], $3::text[], string_to_array($4::text, E'\\n'))`,
        [outbox.map((o) => o.seq.toString()), outbox.map((o) => o.eventId), outbox.map((o) => o.subject), outbox.map((o) => o.payload).join('\n')],
      );
      const timed = outcome.created.filter((t) => t.expiresAt !== null);
      if (timed.length > 0) {
        await client.query('INSERT INTO ledger.pending_expiry (pending_id, expires_at) SELECT * FROM unnest($1::uuid[], $2::timestamptz[])', [
          timed.map((t) => t.id),
          timed.map((t) => t.expiresAt!.toISOString()),
        ]);
      }
      await client.query(`SELECT pg_notify('ledger_outbox', $1)`, [journal[journal.length - 1]!.seq.toString()]);
    }
    await client.query('COMMIT');
    return outcome;
  } catch (error) {
    await client.query('ROLLBACK').catch(() => undefined);
    throw error;
  }
}

async function insertTransfers(client: pg.ClientBase, created: TransferRecord[]): Promise<void> {
  await client.query(
    `INSERT INTO ledger.transfer (${TRANSFER_COLUMNS})
     SELECT id, kind, d, c, amount, currency, code, pending, timeout, expires, linked, NULLIF(metadata, '')::jsonb, hash, seq, created
       FROM unnest($1::uuid[], $2::text[], $3::uuid[], $4::uuid[], $5::bigint[], $6::text[], $7::int[], $8::uuid[], $9::int[],
                          $10::timestamptz[], $11::uuid[], string_to_array($12::text, E'\\n'), $13::text[], $14::bigint[], $15::timestamptz[])
         AS x(id, kind, d, c, amount, currency, code, pending, timeout, expires, linked, metadata, hash, seq, created)`,
    [
      created.map((t) => t.id),
      created.map((t) => t.kind),
      created.map((t) => t.debitAccountId),
      created.map((t) => t.creditAccountId),
      created.map((t) => t.amount.toString()),
      created.map((t) => t.currency),
      created.map((t) => t.code),
      created.map((t) => t.pendingId),
      created.map((t) => t.timeoutSeconds),
      created.map((t) => t.expiresAt?.toISOString() ?? null),
      created.map((t) => t.linkedGroup),
      created.map((t) => (t.metadata ? JSON.stringify(t.metadata) : '')).join('\n'),
      created.map((t) => t.requestHash),
      created.map((t) => t.journalSeq.toString()),
      created.map((t) => t.createdAt.toISOString()),
    ],
  );
}
