import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { uuidv7 } from '@baas/db';
import {
  CreateKycApplicationDocument,
  CustomerKycDocument,
  DecideKycReviewDocument,
  KycApplicationDocument,
  KycReviewQueueDocument,
  OpenAccountDocument,
  RequestKycDocumentUploadDocument,
  SetTenantAccountSettingsDocument,
  SubmitKycApplicationDocument,
  type KycApplicationFieldsFragment,
} from '@baas/sdk';
import { errorCode, startRiskWorld, type Customer, type RiskWorld, type Tenant } from '../risk/risk-world';
import { cnhWithFace, documentPng, goldenOf, selfiePng } from './kyc-documents';

const put = (url: string, body: Uint8Array) => fetch(url, { method: 'PUT', body, headers: { 'content-type': 'application/octet-stream' } });
const JOAO = 'cnh-joao-conceicao-araujo.png';
const CARLOS = 'cnh-carlos-malvado-ferreira.png';

/**
 * Issue 16, done-when, through the gateway with the typed SDK and the real checks (PP-OCRv6 OCR,
 * BlazeFace + faceres face match, passive liveness, sanctions screening against the fixture lists),
 * on documents rendered with known text and face photos the repository ships:
 * - a CNH with the applicant's own face and a selfie: OCR reads the fields, the face matches,
 *   screening is clear: APPROVED, the customer at KYC level 1;
 * - the fixture OFAC list's person: MANUAL_REVIEW (SCREENING_HIT, shown to operators), an operator denies;
 * - someone else's selfie: DENIED FACE_MISMATCH;
 * - a document with no face: NEEDS_DOCUMENTS FACE_NOT_FOUND; a corrupted PNG is refused at upload.
 */
describe('KYC decisions on the real models through the gateway (issue 16)', { timeout: 300_000 }, () => {
  let w: RiskWorld;
  let tenant: Tenant;

  before(async () => {
    w = await startRiskWorld();
    tenant = await w.newTenant();
    // The tenant opens accounts only for customers KYC approved (level 1).
    await w.ok(SetTenantAccountSettingsDocument, { input: { tenantId: tenant.id, currencies: ['BRL'], requireKycLevel: 1 } }, w.operator);
  });
  after(() => w?.stop());

  /** Creates an application for `document`'s person, uploads the document and the selfie, submits, and waits for a decision. */
  async function apply(customer: Customer, documentFile: string, document: Uint8Array, selfie: Uint8Array): Promise<KycApplicationFieldsFragment> {
    const g = goldenOf(documentFile);
    const applicant = { fullName: g.fullName, cpf: g.cpf, dateOfBirth: g.dateOfBirth };
    const app = (await w.ok(CreateKycApplicationDocument, { input: { id: uuidv7(), applicant } }, customer.identity)).createKycApplication;
    for (const [documentType, bytes] of [['CNH', document], ['SELFIE', selfie]] as const) {
      const upload = (await w.ok(RequestKycDocumentUploadDocument, { input: { id: uuidv7(), applicationId: app.id, documentType } }, customer.identity)).requestKycDocumentUpload;
      const res = await put(upload.uploadUrl, bytes);
      assert.equal(res.status, 201, await res.text());
    }
    assert.equal((await w.ok(SubmitKycApplicationDocument, { id: app.id }, customer.identity)).submitKycApplication.state, 'SUBMITTED');
    const deadline = Date.now() + 120_000;
    for (;;) {
      const now = (await w.ok(KycApplicationDocument, { id: app.id }, w.operator)).kycApplication!;
      if (!['SUBMITTED', 'PROCESSING'].includes(now.state)) return now;
      assert.ok(Date.now() < deadline, `still ${now.state} after 120 s`);
      await new Promise((r) => setTimeout(r, 250));
    }
  }

  it('a CNH with the applicant\'s face and a selfie: OCR, face and screening pass, APPROVED, KYC level 1', async () => {
    const customer = await w.newCustomer(tenant);
    const decided = await apply(customer, JOAO, cnhWithFace(JOAO, 'person-a-1.jpg'), selfiePng('person-a-5.jpg'));
    assert.deepEqual([decided.state, decided.decision?.outcome, decided.decision?.reasons], ['APPROVED', 'APPROVED', []]);
    assert.deepEqual((await w.ok(CustomerKycDocument, { id: customer.id }, customer.identity)).customer?.kyc, { level: 1, status: 'APPROVED' });
    const account = await w.openAccount(customer);
    assert.ok(account.ledgerAccountId, 'the approved customer opens an account');
  });

  it('the fixture sanctions list\'s person goes to MANUAL_REVIEW with the evidence; an operator denies; the customer never sees why', async () => {
    const customer = await w.newCustomer(tenant);
    const decided = await apply(customer, CARLOS, cnhWithFace(CARLOS, 'person-a-1.jpg'), selfiePng('person-a-5.jpg'));
    assert.equal(decided.state, 'MANUAL_REVIEW');
    assert.ok(decided.decision?.reasons.includes('SCREENING_HIT'), JSON.stringify(decided.decision));
    const queue = (await w.ok(KycReviewQueueDocument, { first: 50 }, w.operator)).kycReviewQueue.items;
    const item = queue.find((i) => i.id === decided.id);
    assert.ok(item, 'in the review queue');
    assert.deepEqual([item.checks?.screening?.outcome, item.checks?.ocr?.outcome, item.checks?.face?.outcome], ['FAIL', 'PASS', 'PASS']);
    assert.ok((item.checks?.screening?.scoreBps ?? 0) >= 8800);
    const mine = (await w.ok(KycApplicationDocument, { id: decided.id }, customer.identity)).kycApplication!;
    assert.ok(!JSON.stringify(mine.decision ?? {}).includes('SCREENING'), 'no tip-off to the applicant');
    const denied = (await w.ok(DecideKycReviewDocument, { input: { applicationId: decided.id, decision: 'DENY', reason: 'SANCTIONS_CONFIRMED' } }, w.operator)).decideKycReview;
    assert.deepEqual([denied.state, denied.decision?.by], ['DENIED', 'OPERATOR']);
    assert.equal(errorCode(await w.request(DecideKycReviewDocument, { input: { applicationId: decided.id, decision: 'APPROVE', reason: 'X' } }, tenant.client)), 'FORBIDDEN', 'operators only');
    assert.equal((await w.ok(CustomerKycDocument, { id: customer.id }, customer.identity)).customer?.kyc?.level, 0);
  });

  it("someone else's selfie against the document's portrait is DENIED FACE_MISMATCH", async () => {
    const customer = await w.newCustomer(tenant);
    const decided = await apply(customer, JOAO, cnhWithFace(JOAO, 'person-a-1.jpg'), selfiePng('other-02.jpg'));
    assert.deepEqual([decided.state, decided.decision?.reasons], ['DENIED', ['FACE_MISMATCH']]);
    const refused = await w.request(OpenAccountDocument, { input: { id: uuidv7(), currency: 'BRL' } }, customer.identity);
    assert.deepEqual([errorCode(refused), (refused.errors?.[0]?.extensions?.details as { reason?: string } | undefined)?.reason], ['FORBIDDEN', 'KYC_REQUIRED'], 'no account without KYC');
  });

  it('a document with no face asks for documents again (FACE_NOT_FOUND); a corrupted PNG is refused at upload and stores nothing', async () => {
    const customer = await w.newCustomer(tenant);
    const decided = await apply(customer, JOAO, documentPng(JOAO), selfiePng('person-a-5.jpg'));
    assert.deepEqual([decided.state, decided.decision?.reasons], ['NEEDS_DOCUMENTS', ['FACE_NOT_FOUND']]);
    const upload = (await w.ok(RequestKycDocumentUploadDocument, { input: { id: uuidv7(), applicationId: decided.id, documentType: 'CNH' } }, customer.identity)).requestKycDocumentUpload;
    const whole = cnhWithFace(JOAO, 'person-a-1.jpg');
    const corrupted = whole.slice(0, Math.floor(whole.length / 2));
    const res = await put(upload.uploadUrl, corrupted);
    assert.equal(res.status, 400);
    assert.equal(((await res.json()) as { errors: { extensions: { reason?: string } }[] }).errors[0]!.extensions.reason, 'KYC_IMAGE_CORRUPT');
    const after = (await w.ok(KycApplicationDocument, { id: decided.id }, customer.identity)).kycApplication!;
    assert.equal(after.documents.length, decided.documents.length, 'nothing stored');
  });
});
