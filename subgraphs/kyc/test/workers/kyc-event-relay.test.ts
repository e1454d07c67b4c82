import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { randomBytes, randomUUID } from 'node:crypto';
import { connect, type NatsConnection } from 'nats';
import { connectEvents, decodeEvent } from '@baas/events';
import { createMongoStore, defineCollection, type MongoStore } from '@baas/mongo';
import { createLogger } from '@baas/observability';
import { eventually } from '@baas/testing';
import { applicationStepEvents, type ApplicationStep } from '../../src/domain/kyc-event-types';
import { createClaims } from '../../src/store/claims';
import { createKycEventStore, kycEventCollections, type KycEventStore } from '../../src/store/kyc-event-store';
import type { KycClaimDoc } from '../../src/store/kyc-collections';
import { createKycEventRelay, kycEventsStream, type KycEventRelay } from '../../src/workers/kyc-event-relay';

const MONGO_URL = 'mongodb://127.0.0.1:27017';
const NATS_URL = process.env.NATS_URL ?? 'nats://127.0.0.1:4222';
const collections = { ...kycEventCollections, claims: defineCollection<KycClaimDoc>({ name: 'kyc_claims' }) };

const step = (over: Partial<ApplicationStep> & Pick<ApplicationStep, 'id' | 'tenantId' | 'customerId' | 'state' | 'version'>): ApplicationStep => ({ updatedAt: new Date(), decision: null, ...over });

// KYC's events reach JetStream from the MongoDB outbox: once, in order, under their deterministic
// ids (JetStream drops a republish), one relay at a time. On a stream and subjects of this run's own.
describe('kyc events: the MongoDB outbox relayed to JetStream (FerretDB, NATS)', { timeout: 60_000 }, () => {
  const run = `kyc${randomBytes(4).toString('hex')}`;
  const streamName = `KYC_${run}`;
  const logger = createLogger({ service: 'kyc-events-test', level: 'silent' });
  let mongo: MongoStore<typeof collections>;
  let events: KycEventStore;
  let nc: NatsConnection;
  const relays: KycEventRelay[] = [];
  const relay = (relayName = run) => {
    const r = createKycEventRelay({ events, claims: createClaims(mongo.collections.claims), connect: () => connectEvents({ url: NATS_URL, name: 'kyc-events-test' }), stream: streamName, subjectPrefix: run, relayName, logger, pollIntervalMs: 50, leaseMs: 2000 });
    relays.push(r);
    r.start();
    return r;
  };

  before(async () => {
    mongo = await createMongoStore({ url: MONGO_URL, database: `kyc_events_test_${randomBytes(6).toString('hex')}`, service: 'kyc-test', logger, collections });
    events = createKycEventStore(mongo.collections.kycEvents);
    nc = await connect({ servers: NATS_URL, name: 'kyc-events-test' });
  });
  after(async () => {
    for (const r of relays) await r.stop();
    if (nc) {
      await (await nc.jetstreamManager()).streams.delete(streamName).catch(() => undefined);
      await nc.close();
    }
    await mongo?.db.dropDatabase();
    await mongo?.close();
  });

  it('the stream takes kyc.>', () => {
    assert.deepEqual(kycEventsStream('KYC_EVENTS').subjects, ['kyc.>']);
    assert.deepEqual(kycEventsStream('X', 'p1').subjects, ['p1.kyc.>']);
  });

  it('publishes appended events in order, once, with ids, states and reasons only', async () => {
    const tenantId = randomUUID();
    const customerId = randomUUID();
    const id = randomUUID();
    const submitted = applicationStepEvents({ state: 'DRAFT' }, step({ id, tenantId, customerId, state: 'SUBMITTED', version: 2 }));
    const review = applicationStepEvents({ state: 'PROCESSING' }, step({ id, tenantId, customerId, state: 'MANUAL_REVIEW', version: 5, decision: { outcome: 'MANUAL_REVIEW', reasons: ['SCREENING_HIT'], by: 'SYSTEM', operator: null, at: new Date() } }));
    const approved = applicationStepEvents({ state: 'MANUAL_REVIEW' }, step({ id, tenantId, customerId, state: 'APPROVED', version: 6, decision: { outcome: 'APPROVED', reasons: ['FALSE_POSITIVE'], by: 'OPERATOR', operator: 'ops-1', at: new Date() } }));
    assert.equal(await events.append(submitted), 1);
    assert.equal(await events.append(review), 1);
    assert.equal(await events.append(approved), 3);
    assert.equal(await events.append([...submitted, ...approved]), 0, 'appending a step again stores nothing new');

    const r = relay();
    await r.drain();
    const jsm = await nc.jetstreamManager();
    const info = await jsm.streams.info(streamName);
    assert.deepEqual(info.config.subjects, [`${run}.kyc.>`]);
    assert.equal(info.state.messages, 5);
    const got = [];
    for (let seq = 1; seq <= 5; seq++) {
      const msg = await jsm.streams.getMessage(streamName, { seq });
      got.push({ subject: msg.subject, msgId: msg.header?.get('Nats-Msg-Id'), event: decodeEvent<Record<string, unknown>>(msg.data) });
    }
    assert.deepEqual(got.map((g) => g.event.type), ['kyc.application.submitted', 'kyc.application.manual_review', 'kyc.application.approved', 'kyc.review.decided', 'kyc.level.changed']);
    assert.deepEqual(got.map((g) => g.subject), got.map((g) => `${run}.${g.event.type}`));
    assert.deepEqual(got.map((g) => g.event.id), [...submitted, ...review, ...approved].map((e) => e.id));
    assert.deepEqual(got.map((g) => g.msgId), got.map((g) => g.event.id), 'the event id is the JetStream msgID');
    for (const g of got) {
      assert.equal(g.event.data.tenantId, tenantId);
      assert.equal(g.event.data.customerId, customerId);
      assert.equal(g.event.data.applicationId, id);
      assert.ok(Array.isArray(g.event.data.reasons));
      for (const key of Object.keys(g.event.data)) assert.ok(!/name|cpf|birth|document/i.test(key), `no personal field (${key})`);
    }
    assert.deepEqual(got[1]!.event.data.reasons, ['SCREENING_HIT']);
    assert.equal(got[3]!.event.data.decision, 'APPROVED');
    assert.equal(got[4]!.event.data.level, 1);
    assert.equal(await events.countUnsent(), 0);
    assert.ok((await events.findById(submitted[0]!.id))?.sentAt instanceof Date);

    // A crash after the publish and before the mark: the event is published again and JetStream drops it.
    await mongo.collections.kycEvents.updateOne({ _id: approved[0]!.id }, { $set: { sentAt: null } });
    await r.drain();
    assert.equal((await jsm.streams.info(streamName)).state.messages, 5, 'the republish is a duplicate');
    assert.equal(await events.countUnsent(), 0);
  });

  it('a second relay of the same name stands by while the first holds the lease', async () => {
    const first = relays[0]!;
    const second = relay();
    await new Promise((r) => setTimeout(r, 300));
    const active = [first.stats().active, second.stats().active];
    assert.equal(active.filter(Boolean).length, 1, `exactly one relay is active (${active})`);
    const tenantId = randomUUID();
    await events.append(applicationStepEvents({ state: 'DRAFT' }, step({ id: randomUUID(), tenantId, customerId: randomUUID(), state: 'SUBMITTED', version: 2 })));
    await second.drain();
    const jsm = await nc.jetstreamManager();
    assert.equal((await jsm.streams.info(streamName)).state.messages, 6);
  });

  it('keeps events while NATS refuses them (a wrong stream) and never skips one', async () => {
    const e = applicationStepEvents({ state: 'PROCESSING' }, step({ id: randomUUID(), tenantId: randomUUID(), customerId: randomUUID(), state: 'DENIED', version: 4, decision: { outcome: 'DENIED', reasons: ['FACE_MISMATCH'], by: 'SYSTEM', operator: null, at: new Date() } }));
    for (const r of relays) await r.stop();
    relays.length = 0;
    const wrong = createKycEventRelay({ events, claims: createClaims(mongo.collections.claims), connect: async () => {
      const bus = await connectEvents({ url: NATS_URL, name: 'kyc-events-test' });
      return { ...bus, ensureStream: async () => undefined };
    }, stream: `${streamName}_MISSING`, subjectPrefix: run, relayName: `${run}-wrong`, logger, pollIntervalMs: 50, retryBaseMs: 20, retryMaxMs: 50 });
    relays.push(wrong);
    wrong.start();
    await events.append(e);
    // Under a loaded machine the first refusal can take longer than any fixed sleep: wait for it.
    await eventually(async () => {
      assert.ok(wrong.stats().failures > 0, 'NATS refused at least once');
      assert.ok(((await events.findById(e[0]!.id))?.attempts ?? 0) > 0, 'the attempt is recorded');
    }, { attempts: 100, delayMs: 100 });
    assert.equal(await events.countUnsent(), 1, 'the refused event stays unsent');
    await wrong.stop();
    relays.length = 0;
    const good = relay(`${run}-good`);
    await good.drain();
    assert.equal(await events.countUnsent(), 0);
    const jsm = await nc.jetstreamManager();
    assert.equal((await jsm.streams.info(streamName)).state.messages, 7);
  });
});
