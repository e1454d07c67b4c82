import type { Identity } from '@baas/auth';
import { badInput, DomainError, forbidden } from '@baas/errors';
import { checkReplay, requestFingerprint } from '@baas/idempotency';
import { acceptsDocuments } from '../domain/application-states';
import { isDocumentType, MAX_DOCUMENT_BYTES, type DocumentType } from '../domain/document-types';
import { hashUploadToken, uploadTokenExpiry, uploadTokenFor, uploadUrlFor } from '../domain/upload-token';
import { keyInScope, requireManageApplication, requireVisibleApplication } from '../permissions';
import type { KycUploadRow } from '../store/upload-store';
import { nowOf, requireClientId, type KycDeps } from './kyc-deps';

export const REQUEST_UPLOAD_FINGERPRINT_KIND = 'kyc.request-upload/v1';

export type RequestKycDocumentUploadInput = { id: string; applicationId: string; documentType: DocumentType };
export type KycDocumentUploadRow = { id: string; applicationId: string; documentType: DocumentType; uploadToken: string; uploadUrl: string; expiresAt: Date; maxBytes: number; used: boolean };

/**
 * A short-lived, single-use upload URL for one document of one application (bound to both): the
 * file goes to `PUT uploadUrl` (never through GraphQL). Only the token's hash is stored; the token is
 * an HMAC of `input.id` under the upload key, so a repeat of the request (same id, same application
 * and type) answers the same token, URL and expiry; another request under the id is
 * IDEMPOTENCY_KEY_REUSED. The application must accept documents (DRAFT or NEEDS_DOCUMENTS: CONFLICT
 * KYC_INVALID_TRANSITION otherwise); its customer or its tenant's client (customers:write) asks.
 */
export async function requestKycDocumentUpload(deps: KycDeps, who: Identity, input: RequestKycDocumentUploadInput): Promise<KycDocumentUploadRow> {
  const now = nowOf(deps);
  const id = requireClientId(input.id, 'id');
  const applicationId = requireClientId(input.applicationId, 'applicationId');
  if (!isDocumentType(input.documentType)) throw badInput('documentType is CNH, RG, PASSPORT or SELFIE.', { field: 'documentType', reason: 'UNKNOWN_DOCUMENT_TYPE' });
  const hash = requestFingerprint(REQUEST_UPLOAD_FINGERPRINT_KIND, { applicationId, documentType: input.documentType });
  const token = uploadTokenFor(deps.uploadTokenKey, id);
  const answer = (row: KycUploadRow): KycDocumentUploadRow => {
    checkReplay({ hash, storedHash: (r) => r.requestHash, scope: (r) => keyInScope(who, r), outOfScope: () => forbidden() }, row);
    return { id: row.id, applicationId: row.applicationId, documentType: row.documentType, uploadToken: token, uploadUrl: uploadUrlFor(deps.publicUrl(), token), expiresAt: row.expiresAt, maxBytes: MAX_DOCUMENT_BYTES, used: row.usedAt !== null };
  };

  const existing = await deps.uploads.findById(id);
  if (existing) return answer(existing);
  const app = requireVisibleApplication(who, await deps.applications.findById(applicationId));
  requireManageApplication(who, app);
  if (!acceptsDocuments(app.state)) throw new DomainError('CONFLICT', 'The application does not accept documents in its state.', { reason: 'KYC_INVALID_TRANSITION', state: app.state });
  const row: KycUploadRow = {
    id,
    tenantId: app.tenantId,
    customerId: app.customerId,
    applicationId: app.id,
    documentType: input.documentType,
    tokenHash: hashUploadToken(token),
    requestHash: hash,
    expiresAt: uploadTokenExpiry(now),
    usedAt: null,
    createdAt: now,
  };
  const created = (await deps.uploads.insert(row)) ?? (await deps.uploads.findById(id));
  if (!created) throw new Error('requestKycDocumentUpload: the id was taken but no upload is stored under it');
  return answer(created);
}
