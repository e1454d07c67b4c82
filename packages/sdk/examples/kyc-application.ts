// A customer's KYC application: the applicant's data, a document and a selfie uploaded to the
// one-time upload URLs, then submitted; prints the application's state. Run against `npm start`:
//   BAAS_OPERATOR_TOKEN=$(npx tsx scripts/mint-token.ts --kind operator --subject ops-1) \
//     npx tsx packages/sdk/examples/kyc-application.ts [cnh.jpg selfie.jpg]
// Without files it uploads a tiny placeholder PNG (accepted as an image; the checks will not pass it).
import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { CreateKycApplicationDocument, KycApplicationDocument, RequestKycDocumentUploadDocument, SubmitKycApplicationDocument } from '@baas/sdk';
import { sandbox } from './setup';

const PLACEHOLDER_PNG = Buffer.from('iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg==', 'base64');
const [cnhPath, selfiePath] = process.argv.slice(2);
const files = { CNH: cnhPath ? readFileSync(cnhPath) : PLACEHOLDER_PNG, SELFIE: selfiePath ? readFileSync(selfiePath) : PLACEHOLDER_PNG };

const { customer } = await sandbox([]);
const { createKycApplication: app } = await customer.request(CreateKycApplicationDocument, {
  input: { id: randomUUID(), applicant: { fullName: 'Ana Souza', cpf: '52998224725', dateOfBirth: '1990-04-12', nationality: 'BR' } },
});
console.log(`application ${app.id}: ${app.state}`);

for (const documentType of ['CNH', 'SELFIE'] as const) {
  const { requestKycDocumentUpload: upload } = await customer.request(RequestKycDocumentUploadDocument, {
    input: { id: randomUUID(), applicationId: app.id, documentType },
  });
  // The URL is the capability: no bearer token; PNG or JPEG bytes, at most upload.maxBytes, before upload.expiresAt.
  const put = await fetch(upload.uploadUrl, { method: 'PUT', body: files[documentType] });
  console.log(`${documentType}: HTTP ${put.status}`);
}

const { submitKycApplication } = await customer.request(SubmitKycApplicationDocument, { id: app.id });
console.log(`submitted: ${submitKycApplication.state}`);
await new Promise((r) => setTimeout(r, 2000));
const { kycApplication } = await customer.request(KycApplicationDocument, { id: app.id });
console.log(`after the checks: ${kycApplication?.state}${kycApplication?.decision ? ` (${kycApplication.decision.outcome}: ${kycApplication.decision.reasons.join(', ')})` : ''}`);
