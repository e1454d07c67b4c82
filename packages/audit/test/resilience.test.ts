import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import type { MongoClient } from 'mongodb';
import { createAuditLog, isAuditError } from '../src/index';
import type { AuditLog } from '../src/index';
import { adminClient, closedPort, flakyProxy, memoryLogger, uniqueDatabase, waitFor } from './helpers';

const TEST_TIMEOUT = 30_000;
const MARKER = 'very-private-marker';

describe('@baas/audit when MongoDB fails', () => {
  const database = uniqueDatabase();
  let admin: MongoClient;

  before(async () => {
    admin = await adminClient();
  });

  after(async () => {
    await admin.db(database).dropDatabase();
    await admin.close();
  });

  it('a dead server never fails record() or makes it wait, and the buffer stays bounded', { timeout: TEST_TIMEOUT }, async () => {
    const { logger, lines } = memoryLogger();
    const log = createAuditLog({
      url: `mongodb://127.0.0.1:${await closedPort()}/?directConnection=true`,
      database,
      logger,
      service: 'identity',
      batchSize: 10,
      flushIntervalMs: 20,
      maxBuffered: 50,
      maxRetryDelayMs: 100,
      serverSelectionTimeoutMS: 200,
      pingTimeoutMs: 500,
    });
    try {
      // No clock: record() is synchronous (it returns nothing to wait on) and accounts for each event
      // before it returns, while writes to the dead server are failing in the background between
      // the calls. So it never waits for MongoDB, however long MongoDB takes to fail.
      let failuresSeenDuringRecording = 0;
      for (let i = 0; i < 2000; i++) {
        let returned: unknown;
        assert.doesNotThrow(() => {
          returned = log.record({ action: 'auth.signin.failed', outcome: 'failure', actor: { kind: 'customer', subject: MARKER, tenantId: 't' }, reason: MARKER, details: { i, note: MARKER } });
        });
        assert.equal(returned, undefined, 'record() returns nothing to wait on');
        const s = log.stats();
        assert.equal(s.buffered + s.dropped + s.written + s.rejected, i + 1, 'the event is accounted for before record() returns');
        if (i % 200 === 199) {
          // Let the background writer run (and fail) between the calls.
          const before = log.stats().failedWrites;
          await waitFor(() => log.stats().failedWrites > before, 10_000, 'a failed background write while recording');
          failuresSeenDuringRecording += 1;
        }
      }
      assert.equal(failuresSeenDuringRecording, 10);
      // The writer keeps retrying in the background; the buffer never grows past maxBuffered.
      await waitFor(() => log.stats().failedWrites >= 3, 10_000, 'several failed background writes');
      const stats = log.stats();
      assert.ok(stats.buffered <= 50, `buffered ${stats.buffered}`);
      assert.equal(stats.written, 0);
      assert.equal(stats.dropped, 2000 - stats.buffered, 'every event is either buffered or counted as dropped');
      assert.equal(await log.ping(), false);
      await assert.rejects(log.flush(), (err) => isAuditError(err, 'UNAVAILABLE'));
      assert.ok(log.stats().buffered <= 50, 'a failed flush keeps (a bounded number of) events for later');
      await assert.rejects(log.query({ tenantId: 't' }), (err) => isAuditError(err, 'UNAVAILABLE'));
    } finally {
      await log.close();
    }
    assert.equal(log.stats().buffered, 0);
    assert.equal(log.stats().dropped, 2000);
    const warnings = lines.map((line) => JSON.parse(line) as { level: string; msg: string });
    assert.ok(warnings.some((w) => w.level === 'warn' && w.msg === 'audit events dropped'));
    assert.ok(warnings.some((w) => w.level === 'warn' && w.msg === 'audit write failed; will retry'));
    assert.ok(lines.length < 20, `warnings are throttled (${lines.length} lines)`);
    assert.ok(!lines.join('\n').includes(MARKER), 'no event contents in the log');
  });

  it('a batch retried after a lost acknowledgement is stored once', { timeout: TEST_TIMEOUT }, async () => {
    const proxy = await flakyProxy({ host: '127.0.0.1', port: 27017 });
    const { logger } = memoryLogger();
    let log: AuditLog | undefined;
    try {
      log = createAuditLog({ url: proxy.url, database, collection: 'retried', logger, service: 'identity', flushIntervalMs: 60_000, serverSelectionTimeoutMS: 5000 });
      assert.equal(await log.ping(), true);
      proxy.state.loseInsertAcks = true;
      for (let i = 0; i < 25; i++) log.record({ action: 'auth.token.issued', outcome: 'success', actor: null, details: { i } });
      // The server stores the batch, but the answer never arrives: flush() fails and keeps the events.
      await assert.rejects(log.flush(), (err) => isAuditError(err, 'UNAVAILABLE'));
      assert.ok(proxy.state.cutInserts >= 1);
      assert.equal(log.stats().buffered, 25);
      assert.equal(await admin.db(database).collection('retried').countDocuments(), 25, 'the first attempt was stored');

      proxy.state.loseInsertAcks = false;
      log.record({ action: 'auth.logout', outcome: 'success', actor: null });
      await log.flush();
      assert.equal(await admin.db(database).collection('retried').countDocuments(), 26, 'the retry added only the new event');
      assert.deepEqual(log.stats(), { buffered: 0, written: 26, writes: 1, dropped: 0, rejected: 0, failedWrites: 1 });
      const page = await log.query({}, { first: 200 });
      assert.equal(new Set(page.events.map((e) => e.id)).size, 26);
    } finally {
      await log?.close();
      await proxy.close();
    }
  });

  it('recovers on its own once MongoDB is back', { timeout: TEST_TIMEOUT }, async () => {
    const proxy = await flakyProxy({ host: '127.0.0.1', port: 27017 });
    const { logger, lines } = memoryLogger();
    const log = createAuditLog({ url: proxy.url, database, collection: 'recovers', logger, service: 'identity', flushIntervalMs: 20, maxRetryDelayMs: 100 });
    try {
      proxy.state.loseInsertAcks = true;
      for (let i = 0; i < 10; i++) log.record({ action: 'authz.denied', outcome: 'denied', actor: null, details: { i } });
      await waitFor(() => log.stats().failedWrites >= 1, 10_000, 'a failed background write');
      proxy.state.loseInsertAcks = false;
      await waitFor(() => log.stats().written === 10, 10_000, 'the background retry');
      assert.equal(log.stats().buffered, 0);
      assert.equal(await admin.db(database).collection('recovers').countDocuments(), 10);
      assert.ok(lines.some((line) => line.includes('audit writes recovered')), lines.join('\n'));
    } finally {
      await log.close();
      await proxy.close();
    }
  });
});
