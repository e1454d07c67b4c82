import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { randomBytes, randomUUID } from 'node:crypto';
import { CHUNK_BYTES } from '../../src/store/document-store';
import { hashUploadToken } from '../../src/domain/upload-token';
import { createKycFixture, type KycFixture } from '../kyc-fixture';

/** KYC's stores on the real MongoDB-protocol server (FerretDB here), a database per run, dropped afterwards. */
describe('kyc stores on the real MongoDB-protocol server', { timeout: 60_000 }, () => {
  let f: KycFixture;
  before(async () => {
    f = await createKycFixture();
  });
  after(() => f?.drop());

  const newApp = (id = randomUUID()) => ({ id, tenantId: randomUUID(), customerId: randomUUID(), state: 'DRAFT' as const, requestHash: 'h', applicant: { fullName: 'Ana Souza', cpf: '52998224725', dateOfBirth: '1990-01-01', nationality: null }, createdAt: new Date() });

  it('creates its collections with their indexes (unique ones enforced)', () => {
    const names = f.mongo.describe().collections.map((c) => c.name).sort();
    assert.deepEqual(names, ['kyc_applications', 'kyc_claims', 'kyc_customers', 'kyc_document_chunks', 'kyc_documents', 'kyc_events', 'kyc_rescreen_reviews', 'kyc_rescreen_runs', 'kyc_sanctions_entries', 'kyc_sanctions_list_versions', 'kyc_uploads']);
    const uploads = f.mongo.describe().collections.find((c) => c.name === 'kyc_uploads')!;
    assert.ok(uploads.indexes.find((i) => i.name === 'token_hash')!.enforced);
  });

  it('seals the applicant at rest and opens it on read; a second insert under the id is null', async () => {
    const row = newApp();
    const created = await f.deps.applications.insert(row);
    assert.equal(created?.applicant.cpf, '52998224725');
    const raw = await f.mongo.collections.applications.findOne({ _id: row.id });
    assert.ok(raw!.applicantSealed.startsWith('v1.k1.'));
    assert.ok(!JSON.stringify(raw).includes('52998224725') && !JSON.stringify(raw).includes('Ana Souza'));
    assert.equal(await f.deps.applications.insert(row), null);
    assert.deepEqual((await f.deps.applications.findById(row.id))?.applicant, row.applicant);
  });

  it('updates only at the version read (compare-and-set)', async () => {
    const row = (await f.deps.applications.insert(newApp()))!;
    const now = new Date();
    const first = await f.deps.applications.update(row.id, 1, { state: 'SUBMITTED' }, now);
    assert.equal(first?.version, 2);
    assert.equal(await f.deps.applications.update(row.id, 1, { state: 'DENIED' }, now), null);
    assert.equal((await f.deps.applications.findById(row.id))?.state, 'SUBMITTED');
  });

  it('of concurrent updates at one version exactly one wins (FerretDB runs findAndModify non-atomically: the claim makes it so)', async () => {
    for (let round = 0; round < 5; round++) {
      const row = (await f.deps.applications.insert(newApp()))!;
      const results = await Promise.all(['SUBMITTED', 'DENIED', 'APPROVED', 'PROCESSING', 'MANUAL_REVIEW'].map((state) => f.deps.applications.update(row.id, 1, { state: state as 'SUBMITTED' }, new Date())));
      const winners = results.filter(Boolean);
      assert.equal(winners.length, 1);
      const stored = await f.deps.applications.findById(row.id);
      assert.equal(stored?.state, winners[0]!.state);
      assert.equal(stored?.version, 2);
    }
  });

  it('takes over a claim whose holder died before writing (older than the stale time), never a fresh one', async () => {
    const row = (await f.deps.applications.insert(newApp()))!;
    const now = new Date();
    await f.mongo.collections.claims.insertOne({ _id: `application:${row.id}:2`, at: new Date(now.getTime() - 5_000) });
    assert.equal(await f.deps.applications.update(row.id, 1, { state: 'SUBMITTED' }, now), null);
    await f.mongo.collections.claims.updateOne({ _id: `application:${row.id}:2` }, { $set: { at: new Date(now.getTime() - 31_000) } });
    assert.equal((await f.deps.applications.update(row.id, 1, { state: 'SUBMITTED' }, now))?.version, 2);
  });

  it('claims a due application once per lease', async () => {
    const row = (await f.deps.applications.insert(newApp()))!;
    const now = new Date();
    await f.deps.applications.update(row.id, 1, { state: 'SUBMITTED', nextAttemptAt: new Date(now.getTime() - 1000) }, now);
    const claims = await Promise.all([1, 2, 3, 4].map(() => f.deps.applications.claimDue(now, 60_000)));
    const mine = claims.filter((c) => c?.id === row.id);
    assert.equal(mine.length, 1);
    assert.equal(mine[0]!.attempts, 1);
    assert.equal(await f.deps.applications.claimDue(now, 60_000).then((c) => c?.id === row.id), false);
    const later = await f.deps.applications.claimDue(new Date(now.getTime() + 61_000), 60_000);
    assert.equal(later?.id, row.id);
    assert.equal(later?.attempts, 2);
  });

  it('stores a multi-chunk document sealed, reads it back whole, erases its bytes and keeps the record', async () => {
    const bytes = randomBytes(CHUNK_BYTES * 2 + 123);
    const id = randomUUID();
    const saved = await f.deps.documents.save({ id, tenantId: 't', customerId: 'c', applicationId: 'app-x', documentType: 'CNH', contentType: 'image/png', createdAt: new Date() }, bytes);
    assert.equal(saved.chunkCount, 3);
    const chunk = await f.mongo.collections.chunks.findOne({ documentId: id, n: 0 });
    assert.ok(chunk!.sealed.startsWith('v1.k1.'));
    assert.deepEqual(Buffer.from((await f.deps.documents.readBytes(id))!), bytes);
    assert.equal(await f.deps.documents.eraseApplication('app-x', new Date()), 1);
    assert.equal(await f.deps.documents.chunkCount(id), 0);
    assert.equal(await f.deps.documents.readBytes(id), null);
    assert.ok((await f.deps.documents.findById(id))?.erasedAt);
  });

  it('spends a token exactly once under concurrency, and says why it cannot be used', async () => {
    const now = new Date();
    const tokenHash = hashUploadToken(randomUUID());
    await f.deps.uploads.insert({ id: randomUUID(), tenantId: 't', customerId: 'c', applicationId: 'a', documentType: 'SELFIE', tokenHash, requestHash: 'h', expiresAt: new Date(now.getTime() + 60_000), usedAt: null, createdAt: now });
    const results = await Promise.all([1, 2, 3, 4, 5].map(() => f.deps.uploads.consume(tokenHash, now)));
    assert.equal(results.filter((r) => r.ok).length, 1);
    assert.ok(results.filter((r) => !r.ok).every((r) => !r.ok && r.reason === 'KYC_UPLOAD_TOKEN_USED'));
    assert.deepEqual(await f.deps.uploads.usable(hashUploadToken('nope'), now), { ok: false, reason: 'KYC_UPLOAD_TOKEN_INVALID' });
    const expired = hashUploadToken(randomUUID());
    await f.deps.uploads.insert({ id: randomUUID(), tenantId: 't', customerId: 'c', applicationId: 'a', documentType: 'CNH', tokenHash: expired, requestHash: 'h', expiresAt: new Date(now.getTime() - 1), usedAt: null, createdAt: now });
    assert.deepEqual(await f.deps.uploads.consume(expired, now), { ok: false, reason: 'KYC_UPLOAD_TOKEN_EXPIRED' });
  });

  it('keeps the highest KYC level a customer reached', async () => {
    const customerId = randomUUID();
    const at = new Date();
    await f.deps.customers.record({ customerId, tenantId: 't', level: 1, status: 'APPROVED', applicationId: 'a1', updatedAt: at });
    await f.deps.customers.record({ customerId, tenantId: 't', level: 0, status: 'DENIED', applicationId: 'a2', updatedAt: at });
    assert.deepEqual(await f.deps.customers.findByIds([customerId]), [{ customerId, tenantId: 't', level: 1, status: 'DENIED', applicationId: 'a2', updatedAt: at }]);
  });
});
