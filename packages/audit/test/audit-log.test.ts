import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import type { MongoClient } from 'mongodb';
import { runWithRequestContext } from '@baas/observability';
import { AUDIT_ACTIONS, createAuditLog, isAuditError, uuidv7 } from '../src/index';
import type { AuditEvent, AuditEventInput, AuditLog } from '../src/index';
import { MONGO_URL, adminClient, memoryLogger, uniqueDatabase, waitFor } from './helpers';

const TEST_TIMEOUT = 30_000;
const T0 = Date.parse('2026-03-01T12:00:00Z');
const minutes = (n: number) => new Date(T0 + n * 60_000);

describe('@baas/audit against FerretDB', () => {
  const database = uniqueDatabase();
  const { logger } = memoryLogger();
  let admin: MongoClient;
  const logs: AuditLog[] = [];

  // Each test writes to its own collection of the file's database.
  function open(collection: string, extra: Partial<Parameters<typeof createAuditLog>[0]> = {}): AuditLog {
    const log = createAuditLog({ url: MONGO_URL, database, collection, logger, service: 'identity', ...extra });
    logs.push(log);
    return log;
  }
  const count = (collection: string, filter = {}) => admin.db(database).collection(collection).countDocuments(filter);

  before(async () => {
    admin = await adminClient();
  });

  after(async () => {
    await Promise.all(logs.map((log) => log.close()));
    await admin.db(database).dropDatabase();
    await admin.close();
  });

  it('exposes no way to change or remove an event', () => {
    const log = open('api_shape');
    assert.deepEqual(Object.keys(log).sort(), ['close', 'ensureIndexes', 'flush', 'ping', 'query', 'record', 'stats']);
  });

  it('stores a sanitized event and reads it back', { timeout: TEST_TIMEOUT }, async () => {
    const log = open('roundtrip');
    const recordedFrom = Date.now();
    runWithRequestContext({ correlationId: 'corr-ctx-1' }, () =>
      log.record({
        action: AUDIT_ACTIONS.signInFailed,
        outcome: 'failure',
        actor: null,
        tenantId: 'tenant-a',
        target: { type: 'Customer', id: 'cust-1' },
        reason: 'wrong otp for maria@example.com',
        details: { email: 'maria@example.com', otp: '123456', attempts: 3, amountMinor: 1000n },
      }),
    );
    const recordedTo = Date.now();
    await log.flush();
    const { events, hasNextPage, endCursor } = await log.query({ tenantId: 'tenant-a' });
    assert.equal(events.length, 1);
    assert.equal(hasNextPage, false);
    assert.ok(endCursor);
    const [event] = events as [AuditEvent];
    assert.match(event.id, /^[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    // Stamped when recorded: between the clock reads around record() (MongoDB keeps milliseconds).
    assert.ok(event.at instanceof Date && event.at.getTime() >= recordedFrom && event.at.getTime() <= recordedTo, event.at.toISOString());
    assert.deepEqual({ ...event, id: undefined, at: undefined }, {
      id: undefined,
      at: undefined,
      service: 'identity',
      action: 'auth.signin.failed',
      outcome: 'failure',
      actor: null,
      target: { type: 'Customer', id: 'cust-1' },
      tenantId: 'tenant-a',
      correlationId: 'corr-ctx-1',
      reason: 'wrong otp for m***@e***.com',
      details: { email: 'm***@e***.com', otp: '[REDACTED]', attempts: 3, amountMinor: '1000' },
    });
    const raw = await admin.db(database).collection('roundtrip').findOne({});
    assert.equal(raw?._id, event.id, 'the event id is the document _id');
    assert.ok(!JSON.stringify(raw).includes('maria@example.com'));
  });

  it('takes the tenant from the actor and mints ids in order', { timeout: TEST_TIMEOUT }, async () => {
    const log = open('defaults');
    for (let i = 0; i < 5; i++) {
      log.record({ action: AUDIT_ACTIONS.tokenIssued, outcome: 'success', actor: { kind: 'customer', subject: 'cust-9', tenantId: 'tenant-z' }, details: { i } });
    }
    await log.flush();
    const { events } = await log.query({ subject: 'cust-9' });
    assert.equal(events.length, 5);
    assert.ok(events.every((e) => e.tenantId === 'tenant-z' && e.correlationId === null));
    assert.deepEqual(events.map((e) => e.details?.i), [4, 3, 2, 1, 0], 'newest first');
    const ids = Array.from({ length: 1000 }, () => uuidv7());
    assert.deepEqual([...ids].sort(), ids, 'uuidv7 strings sort in minting order');
  });

  describe('query', () => {
    const collection = 'query';
    let log: AuditLog;
    const customer = (subject: string, tenantId: string) => ({ kind: 'customer' as const, subject, tenantId });
    const fixtures: AuditEventInput[] = [
      { at: minutes(0), action: 'auth.signin.started', outcome: 'success', actor: null, tenantId: 'ta', correlationId: 'c1' },
      { at: minutes(1), action: 'auth.signin.succeeded', outcome: 'success', actor: customer('u1', 'ta'), correlationId: 'c1' },
      { at: minutes(2), action: 'auth.token.issued', outcome: 'success', actor: customer('u1', 'ta'), correlationId: 'c1' },
      { at: minutes(3), action: 'authz.denied', outcome: 'denied', actor: customer('u1', 'ta'), correlationId: 'c2', reason: 'missing scope' },
      { at: minutes(4), action: 'auth.signin.failed', outcome: 'failure', actor: null, tenantId: 'tb', correlationId: 'c3' },
      { at: minutes(5), action: 'authXsigninYfailed', outcome: 'failure', actor: null, tenantId: 'tb', correlationId: 'c4' },
      { at: minutes(6), action: 'authz.denied', outcome: 'denied', actor: { kind: 'operator', subject: 'op1', tenantId: null }, correlationId: 'c5' },
      // Three events in the same millisecond: pagination must still neither skip nor repeat.
      { at: minutes(7), action: 'auth.logout', outcome: 'success', actor: customer('u2', 'tb') },
      { at: minutes(7), action: 'auth.logout', outcome: 'success', actor: customer('u3', 'tb') },
      { at: minutes(7), action: 'auth.logout', outcome: 'success', actor: customer('u4', 'tb') },
    ];
    const actionsOf = (events: AuditEvent[]) => events.map((e) => `${e.action}@${(e.at.getTime() - T0) / 60_000}`);

    before(async () => {
      log = open(collection, { batchSize: 3 });
      await log.ensureIndexes();
      // Recorded out of order on purpose: the query orders by time, not by insertion.
      for (const f of [...fixtures].reverse()) log.record(f);
      await log.flush();
    });

    it('lists everything newest first', async () => {
      const { events, hasNextPage } = await log.query();
      assert.equal(events.length, fixtures.length);
      assert.equal(hasNextPage, false);
      const times = events.map((e) => e.at.getTime());
      assert.deepEqual(times, [...times].sort((a, b) => b - a));
      assert.deepEqual(actionsOf(events).slice(-3), ['auth.token.issued@2', 'auth.signin.succeeded@1', 'auth.signin.started@0']);
    });

    it('filters by tenant, subject, exact action, outcome and correlation id', async () => {
      assert.equal((await log.query({ tenantId: 'ta' })).events.length, 4);
      assert.deepEqual(actionsOf((await log.query({ tenantId: null })).events), ['authz.denied@6']);
      assert.deepEqual(actionsOf((await log.query({ subject: 'u1' })).events), ['authz.denied@3', 'auth.token.issued@2', 'auth.signin.succeeded@1']);
      assert.deepEqual(actionsOf((await log.query({ action: 'authz.denied' })).events), ['authz.denied@6', 'authz.denied@3']);
      assert.deepEqual(actionsOf((await log.query({ outcome: 'failure' })).events), ['authXsigninYfailed@5', 'auth.signin.failed@4']);
      assert.deepEqual(actionsOf((await log.query({ correlationId: 'c1' })).events), ['auth.token.issued@2', 'auth.signin.succeeded@1', 'auth.signin.started@0']);
      assert.deepEqual(actionsOf((await log.query({ tenantId: 'ta', outcome: 'denied', subject: 'u1' })).events), ['authz.denied@3']);
      assert.equal((await log.query({ subject: 'nobody' })).events.length, 0);
    });

    it('filters by action prefix, treating the prefix literally', async () => {
      assert.deepEqual(actionsOf((await log.query({ actionPrefix: 'auth.signin.' })).events), ['auth.signin.failed@4', 'auth.signin.succeeded@1', 'auth.signin.started@0']);
      assert.equal((await log.query({ actionPrefix: 'auth.' })).events.length, 7);
      assert.equal((await log.query({ actionPrefix: 'authz' })).events.length, 2);
      assert.equal((await log.query({ actionPrefix: '.*' })).events.length, 0);
    });

    it('filters by a half-open time range [from, to)', async () => {
      assert.deepEqual(actionsOf((await log.query({ from: minutes(1), to: minutes(3) })).events), ['auth.token.issued@2', 'auth.signin.succeeded@1']);
      assert.equal((await log.query({ from: minutes(7) })).events.length, 3);
      assert.equal((await log.query({ to: minutes(1) })).events.length, 1);
      assert.equal((await log.query({ from: minutes(3), to: minutes(3) })).events.length, 0);
    });

    it('pages with an opaque cursor, without gaps or repeats, even within one millisecond', async () => {
      const all = (await log.query({}, { first: 200 })).events.map((e) => e.id);
      const seen: string[] = [];
      let after: string | null = null;
      let pages = 0;
      for (;;) {
        const page = await log.query({}, { first: 2, after });
        seen.push(...page.events.map((e) => e.id));
        pages += 1;
        if (!page.hasNextPage) break;
        after = page.endCursor;
      }
      assert.equal(pages, 5);
      assert.deepEqual(seen, all);
      // A cursor combines with filters.
      const first = await log.query({ tenantId: 'tb' }, { first: 2 });
      const second = await log.query({ tenantId: 'tb' }, { first: 2, after: first.endCursor });
      const third = await log.query({ tenantId: 'tb' }, { first: 2, after: second.endCursor });
      assert.deepEqual([first.hasNextPage, second.hasNextPage, third.hasNextPage], [true, true, false]);
      assert.equal(new Set([...first.events, ...second.events, ...third.events].map((e) => e.id)).size, 5);
      assert.deepEqual(third.events.map((e) => e.action), ['auth.signin.failed']);
    });

    it('rejects bad page sizes, cursors and dates', async () => {
      for (const first of [0, 201, 1.5, -1]) {
        await assert.rejects(log.query({}, { first }), (err) => isAuditError(err, 'INVALID_QUERY'));
      }
      for (const after of ['nope', Buffer.from('[1,2]').toString('base64url'), '']) {
        await assert.rejects(log.query({}, { after }), (err) => isAuditError(err, 'INVALID_CURSOR'));
      }
      await assert.rejects(log.query({ from: new Date('x') }), (err) => isAuditError(err, 'INVALID_QUERY'));
      assert.equal((await log.query({}, { first: 200 })).events.length, fixtures.length);
    });

    it('creates its indexes idempotently', async () => {
      await log.ensureIndexes();
      const names = (await admin.db(database).collection(collection).indexes()).map((i) => i.name).sort();
      assert.deepEqual(names, ['_id_', 'at_desc', 'correlation_id', 'subject_at_desc', 'tenant_at_desc']);
    });
  });

  it('writes in batches from the background, by size and by timer', { timeout: TEST_TIMEOUT }, async () => {
    const bySize = open('batch_size', { batchSize: 50, flushIntervalMs: 60_000 });
    const refreshed = (i: number) => bySize.record({ action: 'auth.token.refreshed', outcome: 'success', actor: null, details: { i } });
    for (let i = 0; i < 49; i++) refreshed(i);
    await new Promise((resolve) => setTimeout(resolve, 300));
    assert.equal(await count('batch_size'), 0, 'below batchSize nothing is written before the (1 minute) timer');
    for (let i = 49; i < 120; i++) refreshed(i);
    // A full batch starts the writer at once (no flush(), no timer), which then drains the buffer in batches.
    // The stored count can reach 120 a moment before the writer has the server's acknowledgement and counts it.
    await waitFor(async () => (await count('batch_size')) === 120 && bySize.stats().written === 120, 5000, 'size-triggered batches');
    assert.deepEqual(bySize.stats(), { buffered: 0, written: 120, writes: 3, dropped: 0, rejected: 0, failedWrites: 0 });

    const byTimer = open('batch_timer', { batchSize: 1000, flushIntervalMs: 50 });
    for (let i = 0; i < 30; i++) byTimer.record({ action: 'auth.logout', outcome: 'success', actor: null });
    await waitFor(async () => (await count('batch_timer')) === 30 && byTimer.stats().written === 30, 5000, 'the timer flush');
    assert.deepEqual(byTimer.stats(), { buffered: 0, written: 30, writes: 1, dropped: 0, rejected: 0, failedWrites: 0 });
  });

  it('records without waiting: record() returns before anything is written', { timeout: TEST_TIMEOUT }, async () => {
    const log = open('non_blocking', { flushIntervalMs: 60_000 });
    // No clock: record() returns nothing to wait on, and every event is buffered before it returns.
    for (let i = 0; i < 99; i++) {
      assert.equal(log.record({ action: 'authz.denied', outcome: 'denied', actor: null, details: { email: 'x@y.com', i } }), undefined);
      assert.equal(log.stats().buffered, i + 1);
    }
    assert.equal(await count('non_blocking'), 0);
    assert.equal(log.stats().buffered, 99);
    await log.flush();
    assert.equal(await count('non_blocking'), 99);
  });

  it('stores an event id once: a repeated id is written once and never overwritten', { timeout: TEST_TIMEOUT }, async () => {
    const log = open('idempotent', { batchSize: 10 });
    const id = uuidv7();
    log.record({ id, action: 'auth.passkey.registered', outcome: 'success', actor: null, reason: 'first' });
    await log.flush();
    // Same id again, alone and inside a batch with new events: the batch still succeeds.
    log.record({ id, action: 'auth.passkey.registered', outcome: 'success', actor: null, reason: 'second' });
    await log.flush();
    log.record({ action: 'auth.logout', outcome: 'success', actor: null });
    log.record({ id, action: 'auth.passkey.registered', outcome: 'success', actor: null, reason: 'third' });
    log.record({ action: 'auth.logout', outcome: 'success', actor: null });
    await log.flush();
    assert.equal(await count('idempotent'), 3);
    assert.equal((await log.query({ action: 'auth.passkey.registered' })).events[0]?.reason, 'first');
    assert.deepEqual(log.stats(), { buffered: 0, written: 5, writes: 3, dropped: 0, rejected: 0, failedWrites: 0 });
  });

  it('never throws from record() on malformed input, and counts what it refused', { timeout: TEST_TIMEOUT }, async () => {
    const log = open('malformed');
    assert.doesNotThrow(() => log.record(null as unknown as AuditEventInput));
    assert.doesNotThrow(() => log.record({ action: '', outcome: 'success', actor: null }));
    assert.doesNotThrow(() => log.record({ action: 'x', outcome: 'maybe' as never, actor: null }));
    const hostile = { get boom(): never { throw new Error('getter'); } };
    assert.doesNotThrow(() => log.record({ action: 'x', outcome: 'success', actor: null, details: hostile }));
    log.record({ action: 'auth.logout', outcome: 'success', actor: null });
    await log.flush();
    assert.equal(await count('malformed'), 1);
    assert.equal(log.stats().rejected, 4);
  });

  it('answers ping', async () => {
    assert.equal(await open('ping').ping(), true);
  });

  it('close() writes what is buffered and later records are dropped, not thrown', { timeout: TEST_TIMEOUT }, async () => {
    const log = createAuditLog({ url: MONGO_URL, database, collection: 'closing', logger, service: 'identity', flushIntervalMs: 60_000 });
    for (let i = 0; i < 7; i++) log.record({ action: 'auth.logout', outcome: 'success', actor: null });
    await log.close();
    assert.equal(await count('closing'), 7);
    assert.doesNotThrow(() => log.record({ action: 'auth.logout', outcome: 'success', actor: null }));
    assert.equal(log.stats().dropped, 1);
    assert.equal(await log.ping(), false);
    await log.close();
  });
});
