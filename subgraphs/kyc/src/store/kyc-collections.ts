import { defineCollection } from '@baas/mongo';
import { kycEventCollections } from './kyc-event-store';
import { rescreenCollections } from './rescreen-store';
import { sanctionsCollections } from './sanctions-list-store';
import type { ApplicationState } from '../domain/application-states';
import type { DocumentType } from '../domain/document-types';
import type { CheckName, CheckResult, KycOutcome } from '../domain/kyc-decision';

/** A stored check result: the result, when it ran, on which documents. */
export type StoredCheck = CheckResult & { at: Date };

export type ApplicationDocumentRef = { documentId: string; type: DocumentType; uploadedAt: Date; erased: boolean };

export type StoredDecision = { outcome: KycOutcome; reasons: string[]; by: 'SYSTEM' | 'OPERATOR'; operator: string | null; at: Date };

export type KycApplicationDoc = {
  _id: string;
  tenantId: string;
  customerId: string;
  state: ApplicationState;
  /** Bumped by every update; every update names the version it read (optimistic concurrency). */
  version: number;
  /** Keyed fingerprint of the creating request (idempotency: same id, same request). */
  requestHash: string;
  /** The applicant (name, CPF, date of birth) sealed with the PII vault, bound to tenant and application. */
  applicantSealed: string;
  documents: ApplicationDocumentRef[];
  checks: Partial<Record<CheckName, StoredCheck>>;
  decision: StoredDecision | null;
  /** When the processor may next take it (null: nothing to do); a claim pushes it one lease ahead. */
  nextAttemptAt: Date | null;
  attempts: number;
  createdAt: Date;
  updatedAt: Date;
  submittedAt: Date | null;
};

export type KycUploadDoc = {
  /** The client's upload id (idempotency key of requestKycDocumentUpload). */
  _id: string;
  tenantId: string;
  customerId: string;
  applicationId: string;
  documentType: DocumentType;
  /** SHA-256 of the token; the token itself is never stored. */
  tokenHash: string;
  requestHash: string;
  expiresAt: Date;
  usedAt: Date | null;
  createdAt: Date;
};

export type KycDocumentDoc = {
  _id: string;
  tenantId: string;
  customerId: string;
  applicationId: string;
  documentType: DocumentType;
  contentType: string;
  bytes: number;
  /** SHA-256 of the plain bytes (hex): integrity, and which file a check saw. */
  sha256: string;
  chunkCount: number;
  /** The PII key that sealed the chunks (rotation). */
  keyId: string;
  createdAt: Date;
  /** Set when the bytes were erased (LGPD request); the metadata stays for the audit trail. */
  erasedAt: Date | null;
};

export type KycDocumentChunkDoc = { _id: string; documentId: string; n: number; sealed: string };

/** A one-winner claim (a version step of an application, a token spend): its _id is the claim. */
export type KycClaimDoc = { _id: string; at: Date };

export type CustomerKycDoc = { _id: string; tenantId: string; level: number; status: string; applicationId: string; updatedAt: Date };

/** KYC's collections, created at start with their indexes and validators (see @baas/mongo for what FerretDB does not enforce). */
export const kycCollections = {
  applications: defineCollection<KycApplicationDoc>({
    name: 'kyc_applications',
    indexes: [
      { name: 'customer_created', key: { tenantId: 1, customerId: 1, createdAt: -1 } },
      { name: 'state_next_attempt', key: { state: 1, nextAttemptAt: 1 } },
      { name: 'state_updated', key: { state: 1, updatedAt: 1 } },
    ],
    schema: {
      bsonType: 'object',
      required: ['_id', 'tenantId', 'customerId', 'state', 'version', 'requestHash', 'applicantSealed', 'createdAt'],
      properties: {
        _id: { bsonType: 'string' },
        state: { enum: ['DRAFT', 'SUBMITTED', 'PROCESSING', 'APPROVED', 'DENIED', 'NEEDS_DOCUMENTS', 'MANUAL_REVIEW'] },
        version: { bsonType: 'int' },
      },
    },
  }),
  uploads: defineCollection<KycUploadDoc>({
    name: 'kyc_uploads',
    indexes: [
      { name: 'token_hash', key: { tokenHash: 1 }, unique: true },
      { name: 'application', key: { applicationId: 1 } },
    ],
  }),
  documents: defineCollection<KycDocumentDoc>({
    name: 'kyc_documents',
    indexes: [{ name: 'application', key: { applicationId: 1 } }],
  }),
  chunks: defineCollection<KycDocumentChunkDoc>({
    name: 'kyc_document_chunks',
    indexes: [{ name: 'document_n', key: { documentId: 1, n: 1 }, unique: true }],
  }),
  claims: defineCollection<KycClaimDoc>({ name: 'kyc_claims' }),
  customers: defineCollection<CustomerKycDoc>({
    name: 'kyc_customers',
    indexes: [{ name: 'tenant', key: { tenantId: 1 } }],
  }),
  // Sanctions lists (store/sanctions-list-store.ts): versions and entries.
  ...sanctionsCollections,
  // KYC events (store/kyc-event-store.ts) and rescreening (store/rescreen-store.ts).
  ...kycEventCollections,
  ...rescreenCollections,
};
