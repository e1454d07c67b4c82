import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { listen, type HttpServerHandle } from '@baas/server';
import { createLogger } from '@baas/observability';
import { kycUploadRoute } from '../../src/resolvers/upload-route';
import { createKycApplication } from '../../src/use-cases/create-kyc-application';
import { requestKycDocumentUpload } from '../../src/use-cases/request-kyc-document-upload';
import { applicant, createKycFixture, customerOf, pngBytes, type KycFixture } from '../kyc-fixture';

/** PUT /kyc/uploads/:token over real HTTP, on the real store: the cap, the type by the bytes, the token once. */
describe('the upload endpoint', { timeout: 120_000 }, () => {
  let f: KycFixture;
  let server: HttpServerHandle;
  let base: string;
  const who = customerOf();
  let applicationId: string;

  before(async () => {
    f = await createKycFixture({ checks: null });
    server = await listen(kycUploadRoute(f.deps, createLogger({ service: 'kyc-test', level: 'silent' })), { port: 0 });
    base = server.url.replace(/\/graphql$/, '');
    applicationId = (await createKycApplication(f.deps, who, { id: randomUUID(), applicant: applicant() })).id;
  });
  after(async () => {
    await server?.close();
    await f?.drop();
  });

  const newUpload = (documentType: 'CNH' | 'SELFIE' = 'CNH') => requestKycDocumentUpload(f.deps, who, { id: randomUUID(), applicationId, documentType });
  const put = (token: string, body: Uint8Array | ReadableStream<Uint8Array>, headers: Record<string, string> = {}) =>
    fetch(`${base}/kyc/uploads/${token}`, { method: 'PUT', body, headers: { 'content-type': 'application/octet-stream', ...headers }, duplex: 'half' } as RequestInit);
  const errorOf = async (res: Response) => ((await res.json()) as { errors: { extensions: { code: string; reason?: string } }[] }).errors[0]!.extensions;

  it('stores a PNG (201), refuses the same token again (409 KYC_UPLOAD_TOKEN_USED)', async () => {
    const upload = await newUpload();
    const res = await put(upload.uploadToken, pngBytes(), { 'content-type': 'image/jpeg' });
    assert.equal(res.status, 201);
    const body = (await res.json()) as { documentId: string; contentType: string; documentType: string };
    assert.deepEqual([body.documentId, body.contentType, body.documentType], [upload.id, 'image/png', 'CNH']);
    const again = await put(upload.uploadToken, pngBytes());
    assert.equal(again.status, 409);
    assert.deepEqual(await errorOf(again).then((e) => [e.code, e.reason]), ['CONFLICT', 'KYC_UPLOAD_TOKEN_USED']);
  });

  it('refuses what is not an image by its bytes (400 KYC_IMAGE_UNSUPPORTED), whatever the content type says; the token stays usable', async () => {
    const upload = await newUpload('SELFIE');
    const res = await put(upload.uploadToken, new TextEncoder().encode('%PDF-1.7\n%not an image'), { 'content-type': 'image/png' });
    assert.equal(res.status, 400);
    assert.deepEqual(await errorOf(res).then((e) => [e.code, e.reason]), ['BAD_USER_INPUT', 'KYC_IMAGE_UNSUPPORTED']);
    assert.equal((await put(upload.uploadToken, pngBytes())).status, 201);
  });

  it('refuses more than 10 MB with 413 while streaming (no content-length), and by the declared length', async () => {
    const upload = await newUpload();
    const chunk = new Uint8Array(1024 * 1024).fill(7);
    let sent = 0;
    const stream = new ReadableStream<Uint8Array>({
      pull(controller) {
        if (sent >= 12) return controller.close();
        sent++;
        controller.enqueue(chunk);
      },
    });
    const res = await put(upload.uploadToken, stream);
    assert.equal(res.status, 413);
    assert.deepEqual(await errorOf(res).then((e) => [e.code, e.reason]), ['PAYLOAD_TOO_LARGE', 'KYC_DOCUMENT_TOO_LARGE']);
    const declared = await put(upload.uploadToken, new Uint8Array(10 * 1024 * 1024 + 1));
    assert.equal(declared.status, 413);
    assert.equal((await put(upload.uploadToken, pngBytes())).status, 201, 'a refused body does not spend the token');
  });

  it('unknown or malformed tokens are 404 KYC_UPLOAD_TOKEN_INVALID; other methods 405', async () => {
    const res = await put('A'.repeat(43), pngBytes());
    assert.equal(res.status, 404);
    assert.equal((await errorOf(res)).reason, 'KYC_UPLOAD_TOKEN_INVALID');
    assert.equal((await put('..%2F..%2Fetc', pngBytes())).status, 404);
    assert.equal((await fetch(`${base}/kyc/uploads/${(await newUpload()).uploadToken}`)).status, 405);
  });

  it('the stored bytes are sealed, never the plain file', async () => {
    const upload = await newUpload('SELFIE');
    const png = pngBytes(16, 16, 9);
    assert.equal((await put(upload.uploadToken, png)).status, 201);
    const chunk = await f.mongo.collections.chunks.findOne({ documentId: upload.id });
    assert.ok(chunk && !chunk.sealed.includes(Buffer.from(png).toString('base64').slice(0, 40)));
    assert.deepEqual(Buffer.from((await f.deps.documents.readBytes(upload.id))!), Buffer.from(png));
  });
});
