import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { createLogger } from '@baas/observability';
import { createKycApplication } from '../../src/use-cases/create-kyc-application';
import { decideKycReview } from '../../src/use-cases/decide-kyc-review';
import { deleteKycDocuments } from '../../src/use-cases/delete-kyc-documents';
import { getCustomerKycLevel } from '../../src/use-cases/get-customer-kyc-level';
import { getKycReviewQueue } from '../../src/use-cases/get-kyc-review-queue';
import { listKycApplications } from '../../src/use-cases/list-kyc-applications';
import { requestKycDocumentUpload } from '../../src/use-cases/request-kyc-document-upload';
import { submitKycApplication } from '../../src/use-cases/submit-kyc-application';
import { uploadKycDocument } from '../../src/use-cases/upload-kyc-document';
import { startKycProcessor } from '../../src/workers/kyc-processor';
import type { KycChecks } from '../../src/use-cases/kyc-checks';
import { applicant, clientOf, createKycFixture, customerOf, markerChecks, operator, pngBytes, type KycFixture } from '../kyc-fixture';

const logger = createLogger({ service: 'kyc-test', level: 'silent' });
const levelOf = (f: KycFixture, customerId: string) => getCustomerKycLevel({ customers: { load: async (id) => (await f.deps.customers.findByIds([id]))[0] ?? null } }, customerId);

/** The application flow on the real MongoDB-protocol server, with deterministic checks (the real engines are wired by the lead). */
describe('kyc application flow (use cases on the real store)', { timeout: 120_000 }, () => {
  let f: KycFixture;
  const calls: string[] = [];
  before(async () => {
    f = await createKycFixture({ checks: markerChecks(calls) });
  });
  after(() => f?.drop());

  const processor = () => startKycProcessor({ ...f.deps, checks: f.deps.checks as KycChecks }, { logger, intervalMs: 60_000, leaseMs: 60_000, maxAttempts: 2 });

  async function applyWith(who = customerOf(), opts: { selfieMarker?: number; docMarker?: number; name?: string } = {}) {
    const app = await createKycApplication(f.deps, who, { id: randomUUID(), applicant: { ...applicant(), ...(opts.name ? { fullName: opts.name } : {}) } });
    for (const [type, marker] of [['CNH', opts.docMarker ?? 0], ['SELFIE', opts.selfieMarker ?? 0]] as const) {
      const upload = await requestKycDocumentUpload(f.deps, who, { id: randomUUID(), applicationId: app.id, documentType: type });
      await uploadKycDocument(f.deps, upload.uploadToken, pngBytes(8, 8, marker));
    }
    await submitKycApplication(f.deps, who, app.id);
    return { app, who };
  }

  it('create is idempotent by id: same request replays, another request is IDEMPOTENCY_KEY_REUSED, another customer FORBIDDEN', async () => {
    const who = customerOf();
    const input = { id: randomUUID(), applicant: applicant() };
    const first = await createKycApplication(f.deps, who, input);
    assert.equal(first.state, 'DRAFT');
    assert.equal((await createKycApplication(f.deps, who, input)).id, first.id);
    await assert.rejects(createKycApplication(f.deps, who, { ...input, applicant: { ...input.applicant, fullName: 'Other Name' } }), { code: 'IDEMPOTENCY_KEY_REUSED' });
    await assert.rejects(createKycApplication(f.deps, customerOf(who.tenantId!), input), { code: 'FORBIDDEN' });
    await assert.rejects(createKycApplication(f.deps, who, { ...input, id: randomUUID(), customerId: randomUUID() }), { code: 'FORBIDDEN' });
    await assert.rejects(createKycApplication(f.deps, clientOf(who.tenantId!, ['customers:read']), { ...input, id: randomUUID(), customerId: who.subject }), { code: 'FORBIDDEN' });
    const byClient = await createKycApplication(f.deps, clientOf(who.tenantId!), { ...input, id: randomUUID(), customerId: who.subject });
    assert.equal(byClient.customerId, who.subject);
  });

  it('upload requests replay the same token; tokens are bound to application and type, single-use', async () => {
    const who = customerOf();
    const app = await createKycApplication(f.deps, who, { id: randomUUID(), applicant: applicant() });
    const input = { id: randomUUID(), applicationId: app.id, documentType: 'RG' as const };
    const upload = await requestKycDocumentUpload(f.deps, who, input);
    assert.equal(upload.uploadUrl, `http://kyc.test/kyc/uploads/${upload.uploadToken}`);
    assert.deepEqual(await requestKycDocumentUpload(f.deps, who, input), upload);
    await assert.rejects(requestKycDocumentUpload(f.deps, who, { ...input, documentType: 'CNH' }), { code: 'IDEMPOTENCY_KEY_REUSED' });
    await assert.rejects(requestKycDocumentUpload(f.deps, customerOf(who.tenantId!), { ...input, id: randomUUID() }), { code: 'NOT_FOUND' });
    const stored = await f.mongo.collections.uploads.findOne({ _id: input.id });
    assert.ok(stored && !JSON.stringify(stored).includes(upload.uploadToken));
    const doc = await uploadKycDocument(f.deps, upload.uploadToken, pngBytes());
    assert.equal(doc.documentType, 'RG');
    assert.equal(doc.contentType, 'image/png');
    await assert.rejects(uploadKycDocument(f.deps, upload.uploadToken, pngBytes()), { reason: 'KYC_UPLOAD_TOKEN_USED' });
    const other = await requestKycDocumentUpload(f.deps, who, { id: randomUUID(), applicationId: app.id, documentType: 'SELFIE' });
    await assert.rejects(uploadKycDocument(f.deps, other.uploadToken, new TextEncoder().encode('%PDF-1.7 not an image')), (e: { details?: { reason?: string } }) => e.details?.reason === 'KYC_IMAGE_UNSUPPORTED');
    assert.equal((await requestKycDocumentUpload(f.deps, who, { id: other.id, applicationId: app.id, documentType: 'SELFIE' })).used, false);
  });

  it('approves when every check passes: checks stored with model versions, level raised, the run survives in nextAttemptAt', async () => {
    const { app, who } = await applyWith();
    assert.equal((await f.deps.applications.findById(app.id))?.state, 'SUBMITTED');
    assert.equal((await submitKycApplication(f.deps, who, app.id)).state, 'SUBMITTED');
    const p = processor();
    await p.drain();
    await p.stop();
    const done = (await f.deps.applications.findById(app.id))!;
    assert.equal(done.state, 'APPROVED');
    assert.deepEqual(done.decision?.reasons, []);
    assert.equal(done.checks.face?.modelVersion, 'face-test@1');
    assert.equal(done.checks.screening?.modelVersion, 'ofac@fixture');
    assert.equal(done.nextAttemptAt, null);
    assert.deepEqual(await levelOf(f, who.subject), { customerId: who.subject, tenantId: who.tenantId, level: 1, status: 'APPROVED' });
    assert.ok(calls.includes('ocr:CNH') && calls.includes('liveness'));
  });

  it('a face mismatch is DENIED FACE_MISMATCH; a screening hit goes to the review queue, where an operator decides (audited, idempotent)', async () => {
    const denied = await applyWith(customerOf(), { selfieMarker: 1 });
    const reviewed = await applyWith(customerOf(), { name: 'Sanctioned Person' });
    const p = processor();
    await p.drain();
    await p.stop();
    const d = (await f.deps.applications.findById(denied.app.id))!;
    assert.deepEqual([d.state, d.decision?.reasons], ['DENIED', ['FACE_MISMATCH']]);
    const r = (await f.deps.applications.findById(reviewed.app.id))!;
    assert.deepEqual([r.state, r.decision?.reasons], ['MANUAL_REVIEW', ['SCREENING_HIT']]);
    const queue = await getKycReviewQueue(f.deps, { first: 100 });
    assert.ok(queue.items.some((a) => a.id === r.id && a.checks.screening?.outcome === 'FAIL'));
    await assert.rejects(decideKycReview(f.deps, operator, { applicationId: d.id, decision: 'APPROVE', reason: 'LOOKS_FINE' }), { code: 'CONFLICT' });
    await assert.rejects(decideKycReview(f.deps, operator, { applicationId: r.id, decision: 'APPROVE', reason: 'lower case' }), { code: 'BAD_USER_INPUT' });
    const decided = await decideKycReview(f.deps, operator, { applicationId: r.id, decision: 'APPROVE', reason: 'FALSE_POSITIVE_NAME_MATCH' });
    assert.equal(decided.state, 'APPROVED');
    assert.equal((await decideKycReview(f.deps, operator, { applicationId: r.id, decision: 'APPROVE', reason: 'FALSE_POSITIVE_NAME_MATCH' })).version, decided.version);
    await assert.rejects(decideKycReview(f.deps, operator, { applicationId: r.id, decision: 'DENY', reason: 'CHANGED_MIND' }), { code: 'CONFLICT' });
    assert.equal(f.audit.records.filter((e) => (e as { action: string; target: { id: string } }).action === 'kyc.review.decided' && (e as { target: { id: string } }).target.id === r.id).length, 1);
    assert.equal((await levelOf(f, reviewed.who.subject)).level, 1);
  });

  it('checks that cannot run are retried later, then sent to MANUAL_REVIEW (CHECKS_UNAVAILABLE)', async () => {
    const { app } = await applyWith(customerOf(), { docMarker: 3 });
    const p = processor();
    await p.drain();
    let row = (await f.deps.applications.findById(app.id))!;
    assert.equal(row.state, 'PROCESSING');
    assert.ok(row.nextAttemptAt && row.nextAttemptAt.getTime() > Date.now());
    await f.mongo.collections.applications.updateOne({ _id: app.id }, { $set: { nextAttemptAt: new Date(0) } });
    await p.drain();
    await p.stop();
    row = (await f.deps.applications.findById(app.id))!;
    assert.deepEqual([row.state, row.decision?.reasons], ['MANUAL_REVIEW', ['CHECKS_UNAVAILABLE']]);
  });

  it('a missing selfie is NEEDS_DOCUMENTS; a new selfie sends it back to PROCESSING and on to APPROVED', async () => {
    const who = customerOf();
    const app = await createKycApplication(f.deps, who, { id: randomUUID(), applicant: applicant() });
    const doc = await requestKycDocumentUpload(f.deps, who, { id: randomUUID(), applicationId: app.id, documentType: 'PASSPORT' });
    await uploadKycDocument(f.deps, doc.uploadToken, pngBytes());
    const early = await requestKycDocumentUpload(f.deps, who, { id: randomUUID(), applicationId: app.id, documentType: 'SELFIE' });
    await submitKycApplication(f.deps, who, app.id);
    await assert.rejects(requestKycDocumentUpload(f.deps, who, { id: randomUUID(), applicationId: app.id, documentType: 'SELFIE' }), { code: 'CONFLICT' });
    // A URL asked for before the submit is refused while SUBMITTED, and stays unspent.
    await assert.rejects(uploadKycDocument(f.deps, early.uploadToken, pngBytes()), (e: { details?: { reason?: string } }) => e.details?.reason === 'KYC_INVALID_TRANSITION');
    assert.equal((await f.mongo.collections.uploads.findOne({ _id: early.id }))?.usedAt, null);
    const p = processor();
    await p.drain();
    let row = (await f.deps.applications.findById(app.id))!;
    assert.deepEqual([row.state, row.decision?.reasons], ['NEEDS_DOCUMENTS', ['SELFIE_MISSING']]);
    const selfie = await requestKycDocumentUpload(f.deps, who, { id: randomUUID(), applicationId: app.id, documentType: 'SELFIE' });
    await uploadKycDocument(f.deps, selfie.uploadToken, pngBytes());
    assert.equal((await f.deps.applications.findById(app.id))?.state, 'PROCESSING');
    await p.drain();
    await p.stop();
    row = (await f.deps.applications.findById(app.id))!;
    assert.equal(row.state, 'APPROVED');
  });

  it('erasing documents deletes their bytes, keeps the record and the decision, and is audited', async () => {
    const { app, who } = await applyWith();
    await assert.rejects(deleteKycDocuments(f.deps, customerOf(who.tenantId!), app.id), { code: 'NOT_FOUND' });
    const erased = await deleteKycDocuments(f.deps, who, app.id);
    assert.ok(erased.documents.length === 2 && erased.documents.every((d) => d.erased));
    for (const d of erased.documents) assert.equal(await f.deps.documents.chunkCount(d.documentId), 0);
    assert.equal((await deleteKycDocuments(f.deps, operator, app.id)).documents.length, 2);
    assert.ok(f.audit.records.some((e) => (e as { action: string }).action === 'kyc.documents.erased'));
  });

  it('listing: a customer their own; a client its tenant only; naming another is FORBIDDEN', async () => {
    const { app, who } = await applyWith();
    assert.ok((await listKycApplications(f.deps, who, {})).every((a) => a.customerId === who.subject));
    assert.ok((await listKycApplications(f.deps, clientOf(who.tenantId!), { customerId: who.subject })).some((a) => a.id === app.id));
    assert.deepEqual(await listKycApplications(f.deps, clientOf(randomUUID()), { customerId: who.subject }), []);
    await assert.rejects(listKycApplications(f.deps, clientOf(randomUUID()), { tenantId: who.tenantId }), { code: 'FORBIDDEN' });
    await assert.rejects(listKycApplications(f.deps, who, { customerId: randomUUID() }), { code: 'FORBIDDEN' });
  });
});
