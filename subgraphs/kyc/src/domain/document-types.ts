/** What a customer uploads: an identity document (CNH, RG, passport) and a selfie. */
export const DOCUMENT_TYPES = ['CNH', 'RG', 'PASSPORT', 'SELFIE'] as const;
export type DocumentType = (typeof DOCUMENT_TYPES)[number];

/** The types that prove identity (one is needed, with a SELFIE). */
export const IDENTITY_DOCUMENT_TYPES: readonly DocumentType[] = ['CNH', 'RG', 'PASSPORT'];

/** Largest document accepted by the upload endpoint (bytes). */
export const MAX_DOCUMENT_BYTES = 10 * 1024 * 1024;

export function isDocumentType(value: unknown): value is DocumentType {
  return typeof value === 'string' && (DOCUMENT_TYPES as readonly string[]).includes(value);
}
