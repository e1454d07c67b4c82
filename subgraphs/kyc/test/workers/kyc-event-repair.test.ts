import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { createMongoStore, type MongoStore } from '@baas/mongo';
import { createLogger } from '@baas/observability';
import { applicationStepEvents } from '../../src/domain/kyc-event-types';
import { createKycEventStepStore } from '../../src/store/kyc-event-steps';
import { createKycEventStore, kycEventCollections, type KycEventStore } from '../../src/store/kyc-event-store';
import { createKycEventRepair } from '../../src/workers/kyc-event-repair';
import { applicant, createKycFixture, MONGO_URL, type KycFixture } from '../kyc-fixture';

// A process that dies between an application's version step and the append of its events: the
// repair (run by the relay) appends them again under the same ids, from the stored application.
describe('kyc event repair on the real MongoDB-protocol server', { timeout: 60_000 }, () => {
  let fx: KycFixture;
  let extra: MongoStore<typeof kycEventCollections>;
  let events: KycEventStore;
  let repair: () => Promise<number>;
  let clock = Date.now();

  before(async () => {
    fx = await createKycFixture();
    extra = await createMongoStore({ url: MONGO_URL, database: fx.mongo.db.databaseName, service: 'kyc-test', logger: createLogger({ service: 'kyc-test', level: 'silent' }), collections: kycEventCollections });
    events = createKycEventStore(extra.collections.kycEvents);
    repair = createKycEventRepair({ steps: createKycEventStepStore(fx.mongo.collections.applications), events, graceMs: 1000, now: () => new Date(clock) });
  });
  after(async () => {
    await extra?.close();
    await fx?.drop();
  });

  it('appends the lost events of the latest step once, with the ids the use case would have used', async () => {
    const apps = fx.deps.applications;
    const id = randomUUID();
    const at = (ms: number) => new Date(clock + ms);
    const draft = await apps.insert({ id, tenantId: randomUUID(), customerId: randomUUID(), state: 'DRAFT', requestHash: 'h', applicant: { ...applicant(), nationality: null }, createdAt: at(0) });
    assert.ok(draft);
    const submitted = await apps.update(id, draft.version, { state: 'SUBMITTED', submittedAt: at(1), nextAttemptAt: at(1) }, at(1));
    assert.ok(submitted);
    assert.equal(await repair(), 0, 'a step within the grace period is left to the use case');
    clock += 5000;
    assert.equal(await repair(), 1);
    assert.equal(await repair(), 0, 'repeating the repair adds nothing');
    assert.deepEqual((await events.unsent(10)).map((e) => e.id), applicationStepEvents({ state: 'DRAFT' }, submitted).map((e) => e.id));

    // A later write that is not a state step (a claim): nothing can be derived, nothing is added.
    const claimed = await apps.update(id, submitted.version, { attempts: 1 }, at(10));
    assert.ok(claimed);
    const processing = await apps.update(id, claimed.version, { state: 'PROCESSING' }, at(20));
    assert.ok(processing);
    const review = await apps.update(id, processing.version, { state: 'MANUAL_REVIEW', decision: { outcome: 'MANUAL_REVIEW', reasons: ['SCREENING_HIT'], by: 'SYSTEM', operator: null, at: at(30) } }, at(30));
    assert.ok(review);
    const decided = await apps.update(id, review.version, { state: 'DENIED', decision: { outcome: 'DENIED', reasons: ['SANCTIONS_CONFIRMED'], by: 'OPERATOR', operator: 'ops-1', at: at(40) } }, at(40));
    assert.ok(decided);
    clock += 5000;
    assert.equal(await repair(), 2, 'the manual_review step was overwritten; the operator decision is derived');
    const stored = await events.unsent(10);
    assert.deepEqual(stored.map((e) => e.type), ['kyc.application.submitted', 'kyc.application.denied', 'kyc.review.decided']);
    assert.deepEqual(stored.slice(1).map((e) => e.id), applicationStepEvents(review, decided).map((e) => e.id));
    assert.equal(stored[1]!.data.previousState, 'MANUAL_REVIEW');
  });
});
