import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import pg from 'pg';
import { createTestDatabase, eventually, type TestDatabase } from '@baas/testing';
import { appendOutbox, outboxMigrationSql, type OutboxDescriptor } from '../src/index';

/** The write side against a real PostgreSQL: the sequencing trigger of outboxMigrationSql and appendOutbox. */
describe('outbox write side: gapless seq in commit order (PostgreSQL)', () => {
  let db: TestDatabase;
  let pool: pg.Pool;
  const outbox: OutboxDescriptor = {
    table: 'outbox_test.event',
    cursorTable: 'outbox_test.event_cursor',
    channel: 'outbox_test_event',
    stream: { name: 'UNUSED', subjects: ['unused.>'] },
  };

  before(async () => {
    db = await createTestDatabase({ domains: [] });
    pool = new pg.Pool({ connectionString: db.url, max: 12 });
    await pool.query(`CREATE SCHEMA outbox_test;\n${outboxMigrationSql({ schema: 'outbox_test', table: 'event', channel: 'outbox_test_event' })}`);
  });

  after(async () => {
    await pool?.end();
    await db?.drop();
  });

  async function inTransaction<T>(work: (client: pg.PoolClient) => Promise<T>): Promise<T> {
    const client = await pool.connect();
    try {
      await client.query('BEGIN');
      const result = await work(client);
      await client.query('COMMIT');
      return result;
    } catch (error) {
      await client.query('ROLLBACK').catch(() => {});
      throw error;
    } finally {
      client.release();
    }
  }

  const event = (subject = 'test.created', payload: unknown = { n: 1 }) => ({ eventId: randomUUID(), subject, payload });
  const seqs = async () => (await pool.query<{ s: string }>('SELECT seq::text AS s FROM outbox_test.event ORDER BY seq')).rows.map((r) => Number(r.s));

  it('numbers rows 1, 2, 3... in the order given, stores payloads as JSON text (strings as they are), and NOTIFYs at commit', async () => {
    const listener = await pool.connect();
    const notified: string[] = [];
    listener.on('notification', (msg) => notified.push(msg.channel));
    await listener.query('LISTEN outbox_test_event');
    try {
      const a = event('test.a', { amount: '10' });
      const b = event('test.b', 'sealed:opaque');
      await inTransaction(async (tx) => {
        await appendOutbox(tx, outbox, [a, b]);
        assert.deepEqual(notified, [], 'nothing is announced before the commit');
      });
      const { rows } = await pool.query('SELECT e.seq::text AS seq, e.event_id::text AS event_id, e.subject, e.payload, e.sent_at, e.attempts FROM outbox_test.event e ORDER BY e.seq');
      assert.deepEqual(
        rows.map((r) => [r.seq, r.event_id, r.subject, r.payload, r.sent_at, r.attempts]),
        [
          ['1', a.eventId, 'test.a', '{"amount":"10"}', null, 0],
          ['2', b.eventId, 'test.b', 'sealed:opaque', null, 0],
        ],
      );
      for (let i = 0; i < 50 && notified.length === 0; i++) await new Promise((r) => setTimeout(r, 20));
      assert.ok(notified.length >= 1 && notified.every((c) => c === 'outbox_test_event'), 'the relay is woken at commit');
    } finally {
      listener.release();
    }
  });

  it('stays gapless when transactions roll back, and in commit order when writers overlap', async () => {
    const before = (await seqs()).length;
    // 24 concurrent writers, every third rolls back after appending.
    const results = await Promise.allSettled(
      Array.from({ length: 24 }, (_, i) =>
        inTransaction(async (tx) => {
          await appendOutbox(tx, outbox, [event(), event()]);
          if (i % 3 === 0) throw new Error('rolled back on purpose');
        }),
      ),
    );
    assert.equal(results.filter((r) => r.status === 'fulfilled').length, 16);
    const all = await seqs();
    assert.deepEqual(all, Array.from({ length: before + 32 }, (_, i) => i + 1), 'no gap, no repeat');

    // A writer that appended holds the head until it ends: the next one gets its seq only after that
    // commit, so a reader can never see seq n+1 committed while n may still appear.
    const first = await pool.connect();
    const second = await pool.connect();
    try {
      await first.query('BEGIN');
      await appendOutbox(first, outbox, [event()]);
      await second.query('BEGIN');
      const { rows: pid } = await second.query<{ pid: number }>('SELECT pg_backend_pid() AS pid');
      let secondDone = false;
      const secondAppend = appendOutbox(second, outbox, [event()]).then(() => (secondDone = true));
      await eventually(async () => {
        const { rows } = await pool.query<{ wait: string | null }>('SELECT wait_event_type AS wait FROM pg_stat_activity WHERE pid = $1', [pid[0]!.pid]);
        assert.equal(rows[0]?.wait, 'Lock', 'the second writer waits on the head row');
      });
      assert.equal(secondDone, false);
      await first.query('COMMIT');
      await secondAppend;
      await second.query('COMMIT');
      const tail = (await seqs()).slice(-2);
      assert.deepEqual(tail, [before + 33, before + 34]);
    } finally {
      await first.query('ROLLBACK').catch(() => {});
      await second.query('ROLLBACK').catch(() => {});
      first.release();
      second.release();
    }
  });

  it('refuses names that are not plain identifiers', async () => {
    await assert.rejects(appendOutbox(pool, { ...outbox, table: 'outbox_test.event; DROP TABLE x' }, [event()]), /not a plain identifier/);
  });
});
