import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { randomBytes, randomUUID } from 'node:crypto';
import pg from 'pg';
import { connect, type NatsConnection } from 'nats';
import { connectEvents, decodeEvent, type EventBus } from '@baas/events';
import { createMemoryLogger } from '@baas/observability';
import { createTestDatabase, eventually, freePort, type TestDatabase } from '@baas/testing';
import { appendOutbox, createOutboxRelay, outboxMigrationSql, type OutboxDescriptor, type OutboxRelay } from '../src/index';

const NATS_URL = 'nats://127.0.0.1:4222';
const SECRET = 'Joana Secreta';

/**
 * The relay on a tracked outbox (the shape identity's notifications use), against a real
 * PostgreSQL and the shared NATS (a stream and subjects of this run's own, deleted afterwards).
 * Ordering under crashes, outages and failover is proven on the ledger's outbox
 * (subgraphs/ledger/test/outbox-*.test.ts), which runs on this same relay.
 */
describe('outbox relay: tracked outbox, prepare hook, standby (PostgreSQL, NATS JetStream)', () => {
  let db: TestDatabase;
  let pool: pg.Pool;
  let nc: NatsConnection;
  let bus: EventBus;
  const run = randomBytes(4).toString('hex');
  const prefix = `outboxtest.${run}`;
  const stream = { name: `OUTBOX_TEST_${run}`, subjects: [`${prefix}.>`], duplicateWindowMs: 60_000 };
  const relays: OutboxRelay[] = [];
  const { logger, lines } = createMemoryLogger('outbox-test');

  /** Payloads are "sealed" as `sealed:<json>`; anything else cannot be opened. */
  const outbox: OutboxDescriptor = {
    table: 'outbox_test.event',
    cursorTable: 'outbox_test.event_cursor',
    channel: 'outbox_test_event',
    stream,
    tracking: { sentAt: 'sent_at', attempts: 'attempts' },
    prepare: async (row) => {
      const text = row.payload as string;
      if (!text.startsWith('sealed:')) return { skip: 'payload cannot be opened' };
      return { subject: row.subject, event: { id: row.eventId, type: 'test.event', occurredAt: row.createdAt.toISOString(), data: JSON.parse(text.slice(7)) as unknown } };
    },
  };

  before(async () => {
    db = await createTestDatabase({ domains: [] });
    pool = new pg.Pool({ connectionString: db.url, max: 8 });
    await pool.query(`CREATE SCHEMA outbox_test;\n${outboxMigrationSql({ schema: 'outbox_test', table: 'event', channel: 'outbox_test_event' })}`);
    nc = await connect({ servers: NATS_URL, name: 'outbox-relay-test' });
    bus = await connectEvents({ url: NATS_URL, name: 'outbox-relay-test-bus' });
  });

  after(async () => {
    await Promise.all(relays.map((r) => r.stop()));
    await (await nc?.jetstreamManager())?.streams.delete(stream.name).catch(() => {});
    await nc?.close();
    await bus?.close();
    await pool?.end();
    await db?.drop();
  });

  function relay(opts: { relayName?: string; tracking?: boolean; natsUrl?: string; batchPublish?: boolean; maxInFlight?: number } = {}): OutboxRelay {
    const r = createOutboxRelay({
      pool,
      outbox: opts.tracking === false ? { ...outbox, tracking: undefined } : outbox,
      ...(opts.natsUrl ? { connect: () => connectEvents({ url: opts.natsUrl!, name: 'outbox-relay-test-own' }) } : { bus }),
      ...(opts.relayName ? { relayName: opts.relayName } : {}),
      ...(opts.batchPublish !== undefined ? { batchPublish: opts.batchPublish } : {}),
      ...(opts.maxInFlight ? { maxInFlight: opts.maxInFlight } : {}),
      pollIntervalMs: 50,
      lockRetryMs: 50,
      retryBaseMs: 20,
      retryMaxMs: 100,
      revisitIntervalMs: 100,
      logger,
    });
    relays.push(r);
    return r;
  }

  async function stop(r: OutboxRelay): Promise<void> {
    await r.stop();
    relays.splice(relays.indexOf(r), 1);
  }

  async function append(payloads: string[]): Promise<string[]> {
    const events = payloads.map((payload) => ({ eventId: randomUUID(), subject: `${prefix}.created`, payload }));
    await appendOutbox(pool, outbox, events);
    return events.map((e) => e.eventId);
  }

  function listen(): { received: string[]; stop(): void } {
    const received: string[] = [];
    const sub = nc.subscribe(`${prefix}.>`, { callback: (err, msg) => !err && received.push(decodeEvent(msg.data).id) });
    return { received, stop: () => sub.unsubscribe() };
  }

  const unsent = async () => (await pool.query<{ n: number }>('SELECT count(*)::int AS n FROM outbox_test.event WHERE sent_at IS NULL')).rows[0]!.n;
  const storedCount = async () => (await (await nc.jetstreamManager()).streams.info(stream.name)).state.messages;

  it('publishes in seq order, marks rows sent, skips one it cannot open without holding up the rest, and logs no payload', async () => {
    const heard = listen();
    await nc.flush();
    const good1 = await append([`sealed:{"who":"${SECRET}","n":1}`, `sealed:{"n":2}`]);
    const poison = await append([`unsealable ${SECRET}`]);
    const good2 = await append([`sealed:{"n":3}`]);
    const r = relay();
    await r.start();
    await r.drain();
    await eventually(async () => assert.deepEqual(heard.received, [...good1, ...good2], 'every readable row, in seq order'));
    heard.stop();
    const { rows } = await pool.query('SELECT e.event_id::text AS id, e.sent_at IS NOT NULL AS sent, e.attempts FROM outbox_test.event e ORDER BY e.seq');
    assert.deepEqual(
      rows.filter((row) => row.id !== poison[0]).map((row) => [row.sent, row.attempts]),
      [[true, 1], [true, 1], [true, 1]],
      'marked sent after one attempt',
    );
    await eventually(async () => {
      const { rows: left } = await pool.query('SELECT sent_at, attempts FROM outbox_test.event WHERE event_id = $1', [poison[0]]);
      assert.equal(left[0].sent_at, null, 'the unreadable row stays unsent');
      assert.ok(left[0].attempts >= 2, 'and is tried again on revisits');
    });
    const stats = r.stats();
    assert.equal(stats.lastSeq, 4n);
    assert.ok(stats.unreadable >= 2 && stats.published === 3 && stats.active && stats.connected, JSON.stringify({ ...stats, lastSeq: String(stats.lastSeq) }));
    assert.ok(lines.some((line) => line.includes('cannot be prepared')));
    assert.ok(!lines.some((line) => line.includes(SECRET)), 'no payload in the logs');
  });

  it('republishes a row reset to unsent (stored once, by its event id), and a standby with its own connection takes over', async () => {
    const [active] = relays as [OutboxRelay];
    const heard = listen();
    await nc.flush();
    const before = await storedCount();
    await pool.query('UPDATE outbox_test.event SET sent_at = NULL WHERE seq = 1');
    await eventually(async () => assert.equal(await unsent(), 1, 'the revisit sent it again (the unreadable row stays)'));
    await eventually(async () => assert.equal(heard.received.length, 1, 'published again'));
    assert.equal(await storedCount(), before, 'JetStream dropped the repeat');

    const standby = relay({ natsUrl: NATS_URL });
    await standby.start();
    await eventually(async () => assert.ok(standby.stats().connected, 'a standby connects and provisions the stream too'));
    assert.equal(standby.stats().active, false);
    await stop(active);
    const more = await append([`sealed:{"n":5}`, `sealed:{"n":6}`]);
    await eventually(async () => assert.ok(standby.stats().active, 'the standby took the lock'));
    await standby.drain();
    await eventually(async () => assert.deepEqual(heard.received.slice(1), more));
    heard.stop();
    assert.equal(standby.stats().published, 2, 'it resumed at the cursor');
    await stop(standby);
  });

  it('without tracking a row that cannot be opened is never skipped; with NATS away the relay keeps retrying, never throwing', async () => {
    const offline = relay({ natsUrl: `nats://127.0.0.1:${await freePort()}`, relayName: 'offline' });
    await offline.start();
    await eventually(async () => assert.ok(offline.stats().failures >= 3, 'it keeps retrying'));
    assert.equal(offline.stats().connected, false);
    await stop(offline);

    const strict = relay({ tracking: false, relayName: 'strict' });
    await strict.start();
    await eventually(async () => assert.ok(strict.stats().failures >= 2, 'retrying the row'));
    // A relay name of its own starts from 0: it stops right before the unopenable row (seq 3).
    assert.equal(strict.stats().lastSeq, 2n);
    assert.equal(strict.stats().unreadable, 0);
    assert.ok(lines.some((line) => line.includes('cannot be published and is not skipped') && line.includes('"seq":"3"')));
    await stop(strict);
  });

  it('publishes the same in bulk (acks counted together) as one js.publish at a time: in seq order, each stored once', async () => {
    const heard = listen();
    await nc.flush();
    const ids = await append(Array.from({ length: 25 }, (_, n) => `sealed:{"n":${n}}`));
    const before = await storedCount();
    const each = relay({ relayName: 'each', batchPublish: false, maxInFlight: 10 });
    await each.start();
    await each.drain();
    await eventually(async () => assert.deepEqual(heard.received.filter((id) => ids.includes(id)), ids, 'one at a time: in seq order'));
    await stop(each);
    assert.equal(await storedCount(), before + 25);
    // A relay name of its own starts from 0: every row again, in waves of 10 published in bulk.
    const bulk = relay({ relayName: 'bulk', maxInFlight: 10 });
    await bulk.start();
    await bulk.drain();
    await eventually(async () => assert.deepEqual(heard.received.filter((id) => ids.includes(id)), [...ids, ...ids], 'in bulk: the same order'));
    heard.stop();
    assert.equal(await storedCount(), before + 25, 'the repeats were dropped by event id');
    assert.equal(bulk.stats().failures, 0);
    await stop(bulk);
  });
});
