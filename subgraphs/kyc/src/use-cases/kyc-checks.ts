/**
 * The checks port: what processing asks of the models and lists. The lead wires the real engines
 * (OCR, face, liveness, sanctions screening) behind it in the composition root; tests give a
 * deterministic implementation. Each method answers a CheckResult (outcome, score, reason codes,
 * model version) and throws only when it could not run at all (a model not loaded, a store away):
 * processing then retries later. Inputs are PII and images: an implementation never logs them.
 */
import type { Applicant } from '../domain/applicant';
import type { DocumentType } from '../domain/document-types';
import type { CheckResult } from '../domain/kyc-decision';

/** A document as the checks receive it: the plain bytes (PNG or JPEG, sniffed at upload) and its type. */
export type KycCheckDocument = { documentId: string; type: DocumentType; contentType: string; bytes: Uint8Array };

export type KycChecks = {
  /** Reads the identity document and cross-checks it with the applicant (OCR_CPF_MISMATCH, OCR_NAME_MISMATCH, OCR_UNDERAGE, ...); score: OCR confidence. */
  ocr(document: KycCheckDocument, applicant: Applicant): Promise<CheckResult>;
  /** The selfie's face against the document's photo (FACE_NOT_FOUND, FACE_MULTIPLE, FACE_MISMATCH); score: similarity 0..1. */
  face(selfie: KycCheckDocument, document: KycCheckDocument): Promise<CheckResult>;
  /** Passive liveness of the selfie (LIVENESS_FAILED); score: 0..1 live. */
  liveness(selfie: KycCheckDocument): Promise<CheckResult>;
  /** Sanctions and PEP screening of the applicant (SCREENING_HIT with FAIL, UNCERTAIN near the threshold); score: best hit. */
  screening(applicant: Applicant): Promise<CheckResult>;
};
