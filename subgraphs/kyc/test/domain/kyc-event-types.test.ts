import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { DEFAULT_EVENT_TYPE_REGISTRY } from '@baas/webhooks';
import { APPLICATION_STATES } from '../../src/domain/application-states';
import { applicationStepEvents, KYC_EVENT_TYPES, kycEventId, lastStepBefore, type ApplicationStep } from '../../src/domain/kyc-event-types';
import { rescreenHitEvent, rescreenListVersion, reportableHits, scoreBps } from '../../src/domain/rescreen-hits';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-8[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;
const step = (over: Partial<ApplicationStep>): ApplicationStep => ({ id: 'app-1', tenantId: 't-1', customerId: 'c-1', state: 'SUBMITTED', version: 2, updatedAt: new Date(0), decision: null, ...over });
const decision = (outcome: string, by: 'SYSTEM' | 'OPERATOR', reasons: string[] = ['R_ONE']) => ({ outcome, reasons, by, operator: by === 'OPERATOR' ? 'ops-1' : null, at: new Date(0) });

describe('kyc domain events (pure)', () => {
  it('kycEventId is a deterministic UUID, different for different steps', () => {
    fc.assert(
      fc.property(fc.string(), fc.nat(), fc.nat(), (id, a, b) => {
        const x = kycEventId('kyc.application', id, a, 'kyc.application.approved');
        assert.match(x, UUID);
        assert.equal(x, kycEventId('kyc.application', id, a, 'kyc.application.approved'));
        if (a !== b) assert.notEqual(x, kycEventId('kyc.application', id, b, 'kyc.application.approved'));
      }),
    );
  });

  it('a step that changes no state, or goes to PROCESSING, has no event', () => {
    for (const state of APPLICATION_STATES) assert.deepEqual(applicationStepEvents({ state }, step({ state })), []);
    assert.deepEqual(applicationStepEvents({ state: 'SUBMITTED' }, step({ state: 'PROCESSING' })), []);
    assert.deepEqual(applicationStepEvents({ state: 'NEEDS_DOCUMENTS' }, step({ state: 'PROCESSING' })), []);
  });

  it('each state step has its event with ids, state and reason codes', () => {
    const [submitted] = applicationStepEvents({ state: 'DRAFT' }, step({ state: 'SUBMITTED' }));
    assert.equal(submitted!.type, 'kyc.application.submitted');
    assert.deepEqual(submitted!.data, { tenantId: 't-1', customerId: 'c-1', applicationId: 'app-1', state: 'SUBMITTED', reasons: [], previousState: 'DRAFT' });
    const types = (to: ApplicationStep['state'], outcome: string) => applicationStepEvents({ state: 'PROCESSING' }, step({ state: to, version: 4, decision: decision(outcome, 'SYSTEM') })).map((e) => e.type);
    assert.deepEqual(types('DENIED', 'DENIED'), ['kyc.application.denied']);
    assert.deepEqual(types('NEEDS_DOCUMENTS', 'NEEDS_DOCUMENTS'), ['kyc.application.needs_documents']);
    assert.deepEqual(types('MANUAL_REVIEW', 'MANUAL_REVIEW'), ['kyc.application.manual_review']);
    assert.deepEqual(types('APPROVED', 'APPROVED'), ['kyc.application.approved', 'kyc.level.changed']);
  });

  it("an operator's decision adds kyc.review.decided; the level event is once per customer and level", () => {
    const denied = applicationStepEvents({ state: 'MANUAL_REVIEW' }, step({ state: 'DENIED', version: 6, decision: decision('DENIED', 'OPERATOR', ['SANCTIONS_CONFIRMED']) }));
    assert.deepEqual(denied.map((e) => e.type), ['kyc.application.denied', 'kyc.review.decided']);
    assert.deepEqual(denied[1]!.data.reasons, ['SANCTIONS_CONFIRMED']);
    assert.equal(denied[1]!.data.decision, 'DENIED');
    const a = applicationStepEvents({ state: 'MANUAL_REVIEW' }, step({ id: 'app-a', state: 'APPROVED', version: 6, decision: decision('APPROVED', 'OPERATOR') }));
    const b = applicationStepEvents({ state: 'PROCESSING' }, step({ id: 'app-b', state: 'APPROVED', version: 4, decision: decision('APPROVED', 'SYSTEM') }));
    assert.deepEqual(a.map((e) => e.type), ['kyc.application.approved', 'kyc.review.decided', 'kyc.level.changed']);
    assert.equal(a[2]!.id, b[1]!.id, 'a second approval of the customer is the same level event');
    assert.notEqual(a[0]!.id, b[0]!.id);
  });

  it('rescreen: list version key, reportable hits, the event without names', () => {
    assert.equal(rescreenListVersion([{ listId: 'PEP', version: 2 }, { listId: 'OFAC_SDN', version: 1 }]), 'OFAC_SDN@1,PEP@2');
    const hit = (score: number) => ({ list: 'PEP' as const, category: 'PEP' as const, sourceId: 'PEP-1', kind: 'INDIVIDUAL' as const, matchedName: 'Listed Person', listedName: 'Listed Person', score, nameScore: score, dateOfBirth: 'UNKNOWN' as const, country: 'UNKNOWN' as const, programs: [] });
    assert.deepEqual(reportableHits([hit(0.8), hit(0.95), hit(0.9)], 0.88).map((h) => h.score), [0.95, 0.9]);
    assert.equal(scoreBps(0.91234), 9123);
    const e = rescreenHitEvent({ reviewId: 'r', listVersion: 'PEP@2', tenantId: 't', customerId: 'c', applicationId: 'a', hits: [hit(0.95)], at: new Date(0) });
    assert.equal(e.type, 'kyc.rescreen.hit');
    assert.ok(!JSON.stringify(e).includes('Listed Person') && !JSON.stringify(e).includes('PEP-1'));
  });

  it('lastStepBefore derives the step only while it is the latest write', () => {
    const t = new Date(1000);
    assert.deepEqual(lastStepBefore({ ...step({ state: 'SUBMITTED', updatedAt: t }), submittedAt: t }), { state: 'DRAFT' });
    assert.equal(lastStepBefore({ ...step({ state: 'SUBMITTED', updatedAt: new Date(2000) }), submittedAt: t }), null, 'a claim followed');
    assert.deepEqual(lastStepBefore({ ...step({ state: 'APPROVED', updatedAt: t, decision: { ...decision('APPROVED', 'SYSTEM'), at: t } }), submittedAt: null }), { state: 'PROCESSING' });
    assert.deepEqual(lastStepBefore({ ...step({ state: 'DENIED', updatedAt: t, decision: { ...decision('DENIED', 'OPERATOR'), at: t } }), submittedAt: null }), { state: 'MANUAL_REVIEW' });
    assert.equal(lastStepBefore({ ...step({ state: 'APPROVED', updatedAt: new Date(3000), decision: { ...decision('APPROVED', 'SYSTEM'), at: t } }), submittedAt: null }), null, 'an erasure followed');
    assert.equal(lastStepBefore({ ...step({ state: 'PROCESSING', updatedAt: t }), submittedAt: t }), null);
  });

  it('every KYC event type is a subscribable webhook type', () => {
    for (const type of KYC_EVENT_TYPES) assert.ok(DEFAULT_EVENT_TYPE_REGISTRY.subscribable.has(type), type);
  });
});
