import { isValidCpf, normalizeCpf } from '@baas/br-documents';
import type { DocumentFields } from './extract-document-fields';
import { ageOn } from './field-parsers';
import { NAME_MATCH_THRESHOLD, nameSimilarity } from './name-similarity';

/** Why a document does not back the applicant's declared data. Stable: clients and reviewers branch on them. */
export const OCR_CHECK_REASONS = [
  'OCR_DOCUMENT_UNKNOWN',
  'OCR_NAME_MISSING',
  'OCR_NAME_MISMATCH',
  'OCR_CPF_MISSING',
  'OCR_CPF_INVALID',
  'OCR_CPF_MISMATCH',
  'OCR_DOB_MISSING',
  'OCR_DOB_MISMATCH',
  'OCR_UNDERAGE',
] as const;
export type OcrCheckReason = (typeof OCR_CHECK_REASONS)[number];

export const MINIMUM_AGE = 18;

export type Applicant = { fullName: string; cpf: string; /** YYYY-MM-DD */ dateOfBirth: string };
export type CrossCheckResult = { passed: boolean; reasons: OcrCheckReason[]; nameSimilarity?: number };
export type CrossCheckOptions = {
  /** The day ages are counted on, YYYY-MM-DD; default today (UTC). */
  today?: string;
  /** Default NAME_MATCH_THRESHOLD. */
  nameThreshold?: number;
};

/**
 * Whether the fields read off a document back what the applicant declared: a known document type;
 * the name alike (nameSimilarity >= threshold: accents, case and particles ignored); the CPF present,
 * with valid check digits, and the applicant's; the date of birth the applicant's; and 18 or older
 * on `today` (by the document's date, else the declared one). Every failed rule adds its reason, in
 * OCR_CHECK_REASONS order; passed when there is none. Pure (give `today` for a fixed answer).
 */
export function crossCheckApplicant(fields: DocumentFields, applicant: Applicant, opts: CrossCheckOptions = {}): CrossCheckResult {
  const reasons: OcrCheckReason[] = [];
  const threshold = opts.nameThreshold ?? NAME_MATCH_THRESHOLD;
  const today = opts.today ?? new Date().toISOString().slice(0, 10);
  if (fields.documentType === 'UNKNOWN') reasons.push('OCR_DOCUMENT_UNKNOWN');
  let similarity: number | undefined;
  if (fields.fullName === undefined) reasons.push('OCR_NAME_MISSING');
  else {
    similarity = nameSimilarity(fields.fullName, applicant.fullName);
    if (similarity < threshold) reasons.push('OCR_NAME_MISMATCH');
  }
  if (fields.cpf === undefined) reasons.push('OCR_CPF_MISSING');
  else if (!isValidCpf(fields.cpf)) reasons.push('OCR_CPF_INVALID');
  else if (normalizeCpf(fields.cpf) !== normalizeCpf(applicant.cpf)) reasons.push('OCR_CPF_MISMATCH');
  if (fields.dateOfBirth === undefined) reasons.push('OCR_DOB_MISSING');
  else if (fields.dateOfBirth !== applicant.dateOfBirth) reasons.push('OCR_DOB_MISMATCH');
  const birth = fields.dateOfBirth ?? applicant.dateOfBirth;
  if (/^\d{4}-\d{2}-\d{2}$/.test(birth) && ageOn(birth, today) < MINIMUM_AGE) reasons.push('OCR_UNDERAGE');
  return { passed: reasons.length === 0, reasons, ...(similarity !== undefined ? { nameSimilarity: similarity } : {}) };
}
