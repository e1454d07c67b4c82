/**
 * The automatic KYC decision (pure): the check results of one processing run, the documents the
 * application holds and the tenant's rules in; an outcome with reason codes out. Precedence:
 * NEEDS_DOCUMENTS (something to re-upload) > DENIED (a hard failure) > MANUAL_REVIEW (a doubt) >
 * APPROVED (every check passed). Every reason found is reported, not only the deciding one.
 */
import type { DocumentType } from './document-types';
import { IDENTITY_DOCUMENT_TYPES } from './document-types';

export type CheckOutcome = 'PASS' | 'FAIL' | 'UNCERTAIN';
export const CHECK_NAMES = ['ocr', 'face', 'liveness', 'screening'] as const;
export type CheckName = (typeof CHECK_NAMES)[number];

/** One check's result as stored: what the model said, with which model version. */
export type CheckResult = {
  outcome: CheckOutcome;
  /** The check's score, 0..1 where it has one (face similarity, liveness, OCR confidence, best screening hit). */
  score?: number | null;
  /** Reason codes (FACE_MISMATCH, OCR_CPF_MISMATCH, SCREENING_HIT, ...). */
  reasons: string[];
  /** name@version of the model or list that produced it. */
  modelVersion: string;
};

export type CheckResults = Partial<Record<CheckName, CheckResult>>;

/** A tenant's rules for the automatic decision. */
export type TenantKycRules = {
  /** Face similarity below this is FACE_MISMATCH (DENIED), whatever the face check said. */
  minFaceSimilarity: number;
  /** Liveness score below this is LIVENESS_FAILED (DENIED). */
  minLivenessScore: number;
  /** OCR confidence below this sends the application to MANUAL_REVIEW (OCR_LOW_CONFIDENCE). */
  minOcrConfidence: number;
};

export const DEFAULT_KYC_RULES: TenantKycRules = Object.freeze({ minFaceSimilarity: 0.6, minLivenessScore: 0.5, minOcrConfidence: 0.5 });

export type KycOutcome = 'APPROVED' | 'DENIED' | 'NEEDS_DOCUMENTS' | 'MANUAL_REVIEW';
export type KycDecision = { outcome: KycOutcome; reasons: string[] };

/** OCR reasons that mean the document must be uploaded again (not a doubt about the person). */
const OCR_REUPLOAD = new Set(['OCR_UNREADABLE', 'OCR_DOCUMENT_UNKNOWN', 'KYC_IMAGE_CORRUPT', 'KYC_IMAGE_UNSUPPORTED', 'KYC_IMAGE_TOO_LARGE']);
/** Face reasons that mean a picture must be taken again. */
const FACE_REUPLOAD = new Set(['FACE_NOT_FOUND', 'FACE_MULTIPLE']);
/** Reasons that deny outright. */
const HARD_FAILURES = new Set(['FACE_MISMATCH', 'LIVENESS_FAILED', 'OCR_UNDERAGE', 'OCR_CPF_INVALID']);

/** The documents an application needs before its checks can run, and the reason each missing one gives. */
export function missingDocuments(documents: readonly DocumentType[]): string[] {
  const reasons: string[] = [];
  if (!documents.some((t) => IDENTITY_DOCUMENT_TYPES.includes(t))) reasons.push('DOCUMENT_MISSING');
  if (!documents.includes('SELFIE')) reasons.push('SELFIE_MISSING');
  return reasons;
}

function add(target: string[], reason: string): void {
  if (!target.includes(reason)) target.push(reason);
}

/** Combines the results into one decision under the tenant's rules. */
export function decideKyc(input: { documents: readonly DocumentType[]; checks: CheckResults; rules: TenantKycRules }): KycDecision {
  const missing = missingDocuments(input.documents);
  if (missing.length) return { outcome: 'NEEDS_DOCUMENTS', reasons: missing };
  const { checks, rules } = input;
  const reupload: string[] = [];
  const deny: string[] = [];
  const review: string[] = [];

  for (const name of CHECK_NAMES) {
    const result = checks[name];
    if (!result) {
      add(review, `${name.toUpperCase()}_MISSING`);
      continue;
    }
    if (result.outcome === 'UNCERTAIN') add(review, `${name.toUpperCase()}_UNCERTAIN`);
    for (const reason of result.reasons) {
      if (name === 'ocr' && OCR_REUPLOAD.has(reason)) add(reupload, reason);
      else if (name === 'face' && FACE_REUPLOAD.has(reason)) add(reupload, reason);
      else if (HARD_FAILURES.has(reason) && result.outcome === 'FAIL') add(deny, reason);
      else if (result.outcome !== 'PASS') add(review, reason);
    }
    if (result.outcome === 'FAIL' && result.reasons.length === 0) add(review, `${name.toUpperCase()}_FAILED`);
  }

  const face = checks.face;
  if (face && typeof face.score === 'number' && face.score < rules.minFaceSimilarity && !face.reasons.some((r) => FACE_REUPLOAD.has(r))) add(deny, 'FACE_MISMATCH');
  const liveness = checks.liveness;
  if (liveness && typeof liveness.score === 'number' && liveness.score < rules.minLivenessScore) add(deny, 'LIVENESS_FAILED');
  const ocr = checks.ocr;
  if (ocr && ocr.outcome === 'PASS' && typeof ocr.score === 'number' && ocr.score < rules.minOcrConfidence) add(review, 'OCR_LOW_CONFIDENCE');
  if (checks.screening && checks.screening.outcome === 'FAIL') add(review, 'SCREENING_HIT');

  if (reupload.length) return { outcome: 'NEEDS_DOCUMENTS', reasons: reupload };
  if (deny.length) return { outcome: 'DENIED', reasons: deny };
  if (review.length) return { outcome: 'MANUAL_REVIEW', reasons: review };
  return { outcome: 'APPROVED', reasons: [] };
}
