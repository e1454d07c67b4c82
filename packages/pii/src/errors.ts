/** Machine-readable reasons a PII operation can fail; messages never carry plaintext or key material. */
export type PiiErrorCode =
  | 'INVALID_KEY'
  | 'INVALID_KEY_ID'
  | 'INVALID_KEY_SPEC'
  | 'UNKNOWN_KEY_ID'
  | 'INVALID_CONTEXT'
  | 'INVALID_INPUT'
  | 'MALFORMED_SEALED'
  | 'UNSUPPORTED_VERSION'
  | 'DECRYPTION_FAILED';

/** The only error type thrown by @baas/pii; `code` tells callers what went wrong without parsing messages. */
export class PiiError extends Error {
  readonly code: PiiErrorCode;

  constructor(code: PiiErrorCode, message: string, options?: ErrorOptions) {
    super(message, options);
    this.name = 'PiiError';
    this.code = code;
  }
}

/** True for a PiiError, optionally of one code; checks the shape so duplicated module instances still match. */
export function isPiiError(value: unknown, code?: PiiErrorCode): value is PiiError {
  if (!(value instanceof Error) || value.name !== 'PiiError') return false;
  const actual = (value as { code?: unknown }).code;
  return typeof actual === 'string' && (code === undefined || actual === code);
}
