/** Machine-readable reasons a ledger-proof operation refuses its input; verifiers return false instead of throwing. */
export type LedgerProofErrorCode =
  | 'NON_CANONICAL_VALUE'
  | 'INVALID_TEXT'
  | 'INVALID_HASH'
  | 'INVALID_SEQ'
  | 'INVALID_INDEX'
  | 'INVALID_CHECKPOINT'
  | 'INVALID_KEY';

/** The only error type thrown by @baas/ledger-proofs; `code` tells callers what went wrong without parsing messages. */
export class LedgerProofError extends Error {
  readonly code: LedgerProofErrorCode;

  constructor(code: LedgerProofErrorCode, message: string, options?: ErrorOptions) {
    super(message, options);
    this.name = 'LedgerProofError';
    this.code = code;
  }
}

/** True for a LedgerProofError, optionally of one code; checks the shape so duplicated module instances still match. */
export function isLedgerProofError(value: unknown, code?: LedgerProofErrorCode): value is LedgerProofError {
  if (!(value instanceof Error) || value.name !== 'LedgerProofError') return false;
  const actual = (value as { code?: unknown }).code;
  return typeof actual === 'string' && (code === undefined || actual === code);
}
