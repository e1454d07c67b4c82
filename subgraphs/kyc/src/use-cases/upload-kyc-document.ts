import { DomainError } from '@baas/errors';
import { transitionApplication } from '../domain/application-states';
import type { DocumentType } from '../domain/document-types';
import { decodeImage, sniffImageType } from '../domain/image/index';
import { hashUploadToken, isUploadTokenShape } from '../domain/upload-token';
import type { KycApplicationRow } from '../store/application-store';
import type { KycUploadRow, TokenRefusal } from '../store/upload-store';
import { nowOf, type KycDeps } from './kyc-deps';

/** A refused token, with the HTTP status the upload endpoint answers. */
export class UploadTokenRefused extends Error {
  override name = 'UploadTokenRefused';
  constructor(readonly reason: TokenRefusal) {
    super(reason);
  }
  get status(): number {
    return this.reason === 'KYC_UPLOAD_TOKEN_INVALID' ? 404 : this.reason === 'KYC_UPLOAD_TOKEN_EXPIRED' ? 410 : 409;
  }
}

export type UploadedDocument = { documentId: string; applicationId: string; documentType: DocumentType; bytes: number; contentType: string };

/** Checks a token before its body is read (unknown, spent, expired: UploadTokenRefused), so nobody streams 10 MB on a dead token. */
export async function checkUploadToken(deps: Pick<KycDeps, 'uploads' | 'now'>, token: string): Promise<KycUploadRow> {
  if (!isUploadTokenShape(token)) throw new UploadTokenRefused('KYC_UPLOAD_TOKEN_INVALID');
  const usable = await deps.uploads.usable(hashUploadToken(token), nowOf(deps));
  if (!usable.ok) throw new UploadTokenRefused(usable.reason);
  return usable.upload;
}

const notAccepting = (state: string) => new DomainError('CONFLICT', 'The application does not accept documents in its state.', { reason: 'KYC_INVALID_TRANSITION', state });

/**
 * Stores an uploaded document (the bytes the upload endpoint read, at most MAX_DOCUMENT_BYTES).
 * The type is decided by the bytes (PNG or JPEG, fully decoded so a corrupt or oversized image is
 * refused with its reason: KYC_IMAGE_UNSUPPORTED, KYC_IMAGE_CORRUPT, KYC_IMAGE_TOO_LARGE), never by
 * a header. Then the token is spent (exactly once, even under concurrent uploads), the bytes sealed
 * and stored, and the application given the document: a DRAFT stays DRAFT, NEEDS_DOCUMENTS goes
 * back to PROCESSING (the processor is woken). Never logs the bytes.
 */
export async function uploadKycDocument(deps: KycDeps, token: string, bytes: Uint8Array): Promise<UploadedDocument> {
  const checked = await checkUploadToken(deps, token);
  const type = sniffImageType(bytes);
  decodeImage(bytes);
  const contentType = type === 'png' ? 'image/png' : 'image/jpeg';
  // The application must still take documents before the token is spent (a refusal leaves it usable).
  const before = await deps.applications.findById(checked.applicationId);
  if (!before) throw new Error(`upload ${checked.id} names no application`);
  if (!transitionApplication(before.state, 'ADD_DOCUMENT').ok) throw notAccepting(before.state);
  const now = nowOf(deps);
  const spent = await deps.uploads.consume(hashUploadToken(token), now);
  if (!spent.ok) throw new UploadTokenRefused(spent.reason);
  const upload = spent.upload;
  const app = (await deps.applications.findById(upload.applicationId)) ?? before;
  const document = await deps.documents.save({ id: upload.id, tenantId: upload.tenantId, customerId: upload.customerId, applicationId: upload.applicationId, documentType: upload.documentType, contentType, createdAt: now }, bytes);
  await attachDocument(deps, app, { documentId: document.id, type: upload.documentType, uploadedAt: now, erased: false }, now);
  return { documentId: document.id, applicationId: upload.applicationId, documentType: upload.documentType, bytes: document.bytes, contentType };
}

/** Adds the document to the application (compare-and-set on its version, read again on a conflict). */
async function attachDocument(deps: KycDeps, first: KycApplicationRow, ref: KycApplicationRow['documents'][number], now: Date): Promise<void> {
  let app: KycApplicationRow | null = first;
  for (let attempt = 0; attempt < 10 && app; attempt++) {
    const next = transitionApplication(app.state, 'ADD_DOCUMENT');
    if (!next.ok) throw notAccepting(app.state);
    const documents = [...app.documents.filter((d) => d.documentId !== ref.documentId), ref];
    const reprocess = next.state === 'PROCESSING';
    const updated = await deps.applications.update(app.id, app.version, { state: next.state, documents, ...(reprocess ? { nextAttemptAt: now, attempts: 0 } : {}) }, now);
    if (updated) {
      if (reprocess) deps.wake?.();
      return;
    }
    app = await deps.applications.findById(first.id);
  }
  throw new DomainError('CONFLICT', 'The application changed while the document was added: upload again.', { reason: 'KYC_CONCURRENT_UPDATE' });
}
