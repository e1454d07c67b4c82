import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { deflateSync } from 'node:zlib';
import { randomInt } from 'node:crypto';
import { cpfCheckDigits } from '@baas/br-documents';
import { uuidv7 } from '@baas/db';
import { CreateKycApplicationDocument, CustomerKycDocument, KycApplicationDocument, KycApplicationsDocument, RequestKycDocumentUploadDocument, SubmitKycApplicationDocument } from '@baas/sdk';
import { errorCode, startRiskWorld, type Customer, type RiskWorld, type Tenant } from '../risk/risk-world';

/** A valid PNG (8 x 8, grey) built here: signature, IHDR, one IDAT, IEND, with their CRCs. */
function png(): Uint8Array {
  const crcTable = Array.from({ length: 256 }, (_, n) => {
    let c = n;
    for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
    return c >>> 0;
  });
  const crc = (buf: Buffer) => {
    let c = 0xffffffff;
    for (const b of buf) c = crcTable[(c ^ b) & 0xff]! ^ (c >>> 8);
    return (c ^ 0xffffffff) >>> 0;
  };
  const chunk = (type: string, data: Buffer) => {
    const body = Buffer.concat([Buffer.from(type, 'ascii'), data]);
    const out = Buffer.alloc(8 + data.length + 4);
    out.writeUInt32BE(data.length, 0);
    body.copy(out, 4);
    out.writeUInt32BE(crc(body), 8 + data.length);
    return out;
  };
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(8, 0);
  ihdr.writeUInt32BE(8, 4);
  ihdr.set([8, 2, 0, 0, 0], 8);
  const rows = Buffer.concat(Array.from({ length: 8 }, () => Buffer.concat([Buffer.from([0]), Buffer.alloc(24, 128)])));
  return new Uint8Array(Buffer.concat([Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]), chunk('IHDR', ihdr), chunk('IDAT', deflateSync(rows)), chunk('IEND', Buffer.alloc(0))]));
}

const cpf = () => {
  const base = String(randomInt(100_000_000, 999_999_999));
  return base + cpfCheckDigits(base);
};
const put = (url: string, body: Uint8Array | ReadableStream<Uint8Array>) => fetch(url, { method: 'PUT', body, headers: { 'content-type': 'application/octet-stream' }, duplex: 'half' } as RequestInit);
const reasonOf = async (res: Response) => ((await res.json()) as { errors: { extensions: { code: string; reason?: string } }[] }).errors[0]!.extensions;

/**
 * Issue 16 (the KYC application flow) through the gateway with the typed SDK, and the upload
 * endpoint the upload URL names (the kyc service's own PUT /kyc/uploads/:token, outside GraphQL):
 * create (idempotent), an upload URL, a PNG uploaded once (the same token again refused), a
 * non-image refused by its bytes, more than 10 MB refused 413, submit; another tenant's customer and
 * client do not see the application (FORBIDDEN, as for an id that does not exist). The decisions on the
 * real models are e2e/kyc/decisions.test.ts.
 */
describe('KYC applications through the gateway (issue 16)', () => {
  let w: RiskWorld;
  let tenantA: Tenant;
  let tenantB: Tenant;
  let a1: Customer;
  let b1: Customer;
  let applicationId: string;

  before(async () => {
    w = await startRiskWorld();
    tenantA = await w.newTenant();
    tenantB = await w.newTenant();
    a1 = await w.newCustomer(tenantA);
    b1 = await w.newCustomer(tenantB);
  });
  after(() => w?.stop());

  const requestUpload = async (documentType: 'CNH' | 'SELFIE') =>
    (await w.ok(RequestKycDocumentUploadDocument, { input: { id: uuidv7(), applicationId, documentType } }, a1.identity)).requestKycDocumentUpload;

  it('a customer opens an application: DRAFT, the same one for the same id, IDEMPOTENCY_KEY_REUSED for another request under it', async () => {
    const input = { id: uuidv7(), applicant: { fullName: 'Joana Pereira Lima', cpf: cpf(), dateOfBirth: '1991-03-09' } };
    const app = (await w.ok(CreateKycApplicationDocument, { input }, a1.identity)).createKycApplication;
    assert.deepEqual([app.state, app.customerId, app.tenantId], ['DRAFT', a1.id, tenantA.id]);
    assert.match(app.applicant.cpfMasked, /^\*\*\*\.\d{3}\.\d{3}-\*\*$/);
    assert.equal((await w.ok(CreateKycApplicationDocument, { input }, a1.identity)).createKycApplication.id, app.id);
    const reused = await w.request(CreateKycApplicationDocument, { input: { ...input, applicant: { ...input.applicant, dateOfBirth: '1991-03-10' } } }, a1.identity);
    assert.equal(errorCode(reused), 'IDEMPOTENCY_KEY_REUSED');
    applicationId = app.id;
  });

  it('uploads a PNG to the upload URL once; the same token again is refused', async () => {
    const upload = await requestUpload('CNH');
    assert.ok(upload.uploadUrl.endsWith(`/kyc/uploads/${upload.uploadToken}`));
    assert.ok(new Date(upload.expiresAt).getTime() > Date.now());
    const res = await put(upload.uploadUrl, png());
    assert.equal(res.status, 201, await res.clone().text());
    const again = await put(upload.uploadUrl, png());
    assert.equal(again.status, 409);
    assert.deepEqual(await reasonOf(again).then((e) => [e.code, e.reason]), ['CONFLICT', 'KYC_UPLOAD_TOKEN_USED']);
  });

  it('refuses a non-image with a code, and more than 10 MB with 413; then takes the selfie', async () => {
    const upload = await requestUpload('SELFIE');
    const text = await put(upload.uploadUrl, new TextEncoder().encode('<html>not an image</html>'));
    assert.equal(text.status, 400);
    assert.deepEqual(await reasonOf(text).then((e) => [e.code, e.reason]), ['BAD_USER_INPUT', 'KYC_IMAGE_UNSUPPORTED']);
    let sent = 0;
    const big = new ReadableStream<Uint8Array>({
      pull(controller) {
        if (sent++ >= 11) return controller.close();
        controller.enqueue(new Uint8Array(1024 * 1024));
      },
    });
    const tooLarge = await put(upload.uploadUrl, big);
    assert.equal(tooLarge.status, 413);
    assert.equal((await reasonOf(tooLarge)).code, 'PAYLOAD_TOO_LARGE');
    assert.equal((await put(upload.uploadUrl, png())).status, 201);
    const app = (await w.ok(KycApplicationDocument, { id: applicationId }, a1.identity)).kycApplication!;
    assert.deepEqual(app.documents.map((d) => d.type).sort(), ['CNH', 'SELFIE']);
  });

  it('submits: SUBMITTED, the customer IN_PROGRESS at level 0', async () => {
    const app = (await w.ok(SubmitKycApplicationDocument, { id: applicationId }, a1.identity)).submitKycApplication;
    assert.equal(app.state, 'SUBMITTED');
    const customer = (await w.ok(CustomerKycDocument, { id: a1.id }, a1.identity)).customer;
    assert.deepEqual(customer?.kyc, { level: 0, status: 'IN_PROGRESS' });
  });

  it('another tenant neither reads nor lists the application; its own tenant client does', async () => {
    assert.equal(errorCode(await w.request(KycApplicationDocument, { id: applicationId }, b1.identity)), 'FORBIDDEN');
    assert.equal(errorCode(await w.request(KycApplicationDocument, { id: applicationId }, tenantB.client)), 'FORBIDDEN');
    assert.equal(errorCode(await w.request(KycApplicationDocument, { id: uuidv7() }, b1.identity)), 'FORBIDDEN', 'the same answer whether or not it exists');
    assert.deepEqual((await w.ok(KycApplicationsDocument, { customerId: a1.id }, tenantB.client)).kycApplications, []);
    assert.equal(errorCode(await w.request(KycApplicationsDocument, { tenantId: tenantA.id }, tenantB.client)), 'FORBIDDEN');
    assert.equal(errorCode(await w.request(RequestKycDocumentUploadDocument, { input: { id: uuidv7(), applicationId, documentType: 'CNH' } }, b1.identity)), 'NOT_FOUND');
    assert.equal((await w.ok(KycApplicationDocument, { id: applicationId }, tenantA.client)).kycApplication?.id, applicationId);
  });
});
