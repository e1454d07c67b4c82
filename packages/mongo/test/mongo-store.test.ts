import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { MongoServerError, type MongoClient } from 'mongodb';
import { createMongoStore, defineCollection, MongoSetupError, type MongoStore } from '../src/index';
import { adminClient, closedPort, memoryLogger, MONGO_URL, uniqueDatabase } from './helpers';

const TIMEOUT = { timeout: 60_000 };

type CaseDoc = { _id: string; customerId: string; status: string; createdAt: Date };
type SessionDoc = { _id: string; lastSeenAt: Date | string };

const definitions = {
  cases: defineCollection<CaseDoc>({
    name: 'cases',
    indexes: [
      { name: 'customer_unique', key: { customerId: 1 }, unique: true },
      { name: 'status_created', key: { status: 1, createdAt: -1 } },
      { name: 'open_only', key: { createdAt: 1 }, partialFilterExpression: { status: 'OPEN' } },
      { name: 'reviewer_sparse', key: { reviewerId: 1 }, sparse: true },
    ],
    schema: { bsonType: 'object', required: ['customerId', 'status', 'createdAt'], properties: { status: { enum: ['OPEN', 'CLOSED'] }, createdAt: { bsonType: 'date' } } },
  }),
  sessions: defineCollection<SessionDoc>({ name: 'sessions', indexes: [{ name: 'last_seen_ttl', key: { lastSeenAt: 1 }, expireAfterSeconds: 3600 }] }),
};

describe('@baas/mongo against the real MongoDB-protocol server', () => {
  const database = uniqueDatabase();
  let admin: MongoClient;
  let store: MongoStore<typeof definitions>;
  const { logger, lines } = memoryLogger();

  before(async () => {
    admin = await adminClient();
    store = await createMongoStore({ url: MONGO_URL, database, service: 'test', logger, collections: definitions });
  });

  after(async () => {
    await store?.close();
    await admin.db(database).dropDatabase();
    await admin.close();
  });

  const report = () => store.describe();
  const index = (collection: string, name: string) => report().collections.find((c) => c.name === collection)!.indexes.find((i) => i.name === name)!;
  const warned = (text: string) => lines.some((l) => (JSON.parse(l) as { level: string }).level === 'warn' && l.includes(text));

  it('a unique index is always enforced (or the start fails): a second customer case is refused', TIMEOUT, async () => {
    assert.equal(index('cases', 'customer_unique').enforced, true);
    await store.collections.cases.insertOne({ _id: 'c1', customerId: 'u1', status: 'OPEN', createdAt: new Date() });
    await assert.rejects(store.collections.cases.insertOne({ _id: 'c2', customerId: 'u1', status: 'OPEN', createdAt: new Date() }), (err) => err instanceof MongoServerError && err.code === 11000);
  });

  it('the JSON schema either rejects a bad document or is reported and warned about as not enforced', TIMEOUT, async () => {
    const validation = report().collections.find((c) => c.name === 'cases')!.validation;
    assert.equal(validation.requested, true);
    const bad = { _id: 'bad', customerId: 'u2', status: 'MAYBE', createdAt: new Date() };
    if (validation.enforced) {
      await assert.rejects(store.collections.cases.insertOne(bad), (err) => err instanceof MongoServerError && err.code === 121);
    } else {
      assert.ok(validation.reason, 'says why');
      assert.ok(warned("JSON schema"), 'a warning at start');
    }
  });

  it('a TTL the server ignores becomes a sweep that deletes only expired dates', TIMEOUT, async () => {
    const ttl = index('sessions', 'last_seen_ttl');
    if (ttl.enforced) return; // the server deletes them itself
    assert.deepEqual(ttl.notEnforced, ['expireAfterSeconds']);
    assert.equal(ttl.fallback, 'ttl-sweep');
    assert.ok(warned('last_seen_ttl'));
    await store.collections.sessions.insertMany([
      { _id: 'old', lastSeenAt: new Date(Date.now() - 2 * 3600_000) },
      { _id: 'fresh', lastSeenAt: new Date() },
      { _id: 'not-a-date', lastSeenAt: '1970-01-01' },
    ]);
    assert.equal(await store.sweepExpired(), 1);
    assert.deepEqual((await store.collections.sessions.find().sort({ _id: 1 }).toArray()).map((d) => d._id), ['fresh', 'not-a-date']);
  });

  it('a partial non-unique index the server refuses becomes a full index, reported', TIMEOUT, async () => {
    const partial = index('cases', 'open_only');
    if (partial.enforced) return;
    assert.deepEqual(partial.notEnforced, ['partialFilterExpression']);
    assert.equal(partial.fallback, 'full-index');
    const names = (await admin.db(database).collection('cases').listIndexes().toArray()).map((i) => i.name);
    assert.ok(names.includes('open_only'));
  });

  it('what FerretDB 1.24 on SQLite enforces, found by this test: unique yes; validator, TTL, partial no; sparse accepted and dropped', TIMEOUT, async () => {
    const r = report();
    if (r.server.product !== 'ferretdb') return;
    const cases = r.collections.find((c) => c.name === 'cases')!;
    assert.equal(cases.validation.enforced, false);
    assert.equal(index('sessions', 'last_seen_ttl').enforced, false);
    assert.equal(index('cases', 'open_only').enforced, false);
    assert.equal(index('cases', 'status_created').enforced, true);
    assert.deepEqual(index('cases', 'reviewer_sparse'), { name: 'reviewer_sparse', key: { reviewerId: 1 }, enforced: false, notEnforced: ['sparse'], fallback: 'full-index', reason: 'the server accepted the option but does not keep it' });
  });

  it('starting again, twice at once, changes nothing and reports the same', TIMEOUT, async () => {
    const again = await Promise.all([0, 1].map(() => createMongoStore({ url: MONGO_URL, database, service: 'test', logger: memoryLogger().logger, collections: definitions })));
    try {
      for (const s of again) assert.deepEqual(s.describe(), report());
    } finally {
      await Promise.all(again.map((s) => s.close()));
    }
  });

  it('a unique index whose partial filter cannot be kept stops the start; so does an index redefined under its old name', TIMEOUT, async () => {
    const strict = { tokens: defineCollection({ name: 'tokens', indexes: [{ name: 'live_token', key: { token: 1 }, unique: true, partialFilterExpression: { live: true } }] }) };
    if (report().server.product === 'ferretdb') {
      await assert.rejects(createMongoStore({ url: MONGO_URL, database, service: 'test', logger, collections: strict }), MongoSetupError);
    }
    const redefined = { cases: defineCollection({ name: 'cases', indexes: [{ name: 'customer_unique', key: { customerId: 1, status: 1 }, unique: true }] }) };
    await assert.rejects(createMongoStore({ url: MONGO_URL, database, service: 'test', logger, collections: redefined }), MongoSetupError);
  });

  it('with the server unreachable the start fails within its bound, and the client is closed', TIMEOUT, async () => {
    const url = `mongodb://127.0.0.1:${await closedPort()}/?directConnection=true`;
    await assert.rejects(createMongoStore({ url, database, service: 'test', logger, collections: definitions, serverSelectionTimeoutMS: 300 }), /ECONNREFUSED|Server selection/);
  });
});
