import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { createMongoStore, type MongoStore } from '@baas/mongo';
import { createLogger } from '@baas/observability';
import { createKycEventStore, kycEventCollections, type KycEventStore } from '../../src/store/kyc-event-store';
import { appendKycApplicationEvents } from '../../src/use-cases/kyc-event-append';
import { applicant, createKycFixture, MONGO_URL, type KycFixture } from '../kyc-fixture';

// appendKycApplicationEvents after real version steps of the application store (FerretDB): the
// events of each state step, once, however often the step's append is repeated.
describe('appendKycApplicationEvents on the real MongoDB-protocol server', { timeout: 60_000 }, () => {
  let fx: KycFixture;
  let extra: MongoStore<typeof kycEventCollections>;
  let events: KycEventStore;

  before(async () => {
    fx = await createKycFixture();
    extra = await createMongoStore({ url: MONGO_URL, database: fx.mongo.db.databaseName, service: 'kyc-test', logger: createLogger({ service: 'kyc-test', level: 'silent' }), collections: kycEventCollections });
    events = createKycEventStore(extra.collections.kycEvents);
  });
  after(async () => {
    await extra?.close();
    await fx?.drop();
  });

  it('appends each state step once, nothing for a claim, nothing with events off', async () => {
    const deps = { kycEvents: events };
    const apps = fx.deps.applications;
    const tenantId = randomUUID();
    const customerId = randomUUID();
    const id = randomUUID();
    const who = applicant();
    const draft = await apps.insert({ id, tenantId, customerId, state: 'DRAFT', requestHash: 'h', applicant: { ...who, nationality: 'BR' }, createdAt: new Date() });
    assert.ok(draft);
    const submitted = await apps.update(id, draft.version, { state: 'SUBMITTED', submittedAt: new Date(), nextAttemptAt: new Date() }, new Date());
    assert.ok(submitted);
    assert.equal(await appendKycApplicationEvents(deps, draft, submitted), 1);
    assert.equal(await appendKycApplicationEvents(deps, draft, submitted), 0, 'a repeated append stores nothing');
    const claimed = await apps.update(id, submitted.version, { attempts: 1 }, new Date());
    assert.ok(claimed);
    assert.equal(await appendKycApplicationEvents(deps, submitted, claimed), 0, 'a claim is no state step');
    const processing = await apps.update(id, claimed.version, { state: 'PROCESSING' }, new Date());
    assert.ok(processing);
    const review = await apps.update(id, processing.version, { state: 'MANUAL_REVIEW', decision: { outcome: 'MANUAL_REVIEW', reasons: ['SCREENING_HIT'], by: 'SYSTEM', operator: null, at: new Date() } }, new Date());
    assert.ok(review);
    assert.equal(await appendKycApplicationEvents(deps, processing, review), 1);
    const approved = await apps.update(id, review.version, { state: 'APPROVED', decision: { outcome: 'APPROVED', reasons: ['FALSE_POSITIVE'], by: 'OPERATOR', operator: 'ops-1', at: new Date() } }, new Date());
    assert.ok(approved);
    assert.equal(await appendKycApplicationEvents({}, review, approved), 0, 'without an outbox nothing is appended');
    assert.equal(await appendKycApplicationEvents(deps, review, approved), 3);

    const stored = await events.unsent(10);
    assert.deepEqual(stored.map((e) => e.type), ['kyc.application.submitted', 'kyc.application.manual_review', 'kyc.application.approved', 'kyc.review.decided', 'kyc.level.changed']);
    const body = JSON.stringify(stored);
    for (const secret of [who.fullName, who.cpf, who.dateOfBirth]) assert.ok(!body.includes(secret), 'no applicant data in the events');
    const docs = await extra.collections.kycEvents.find({ aggregateId: id }).sort({ version: 1, ordinal: 1 }).toArray();
    assert.deepEqual(docs.map((d) => d.version), [submitted.version, review.version, approved.version, approved.version, approved.version]);
  });
});
