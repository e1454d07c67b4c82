/** Machine-readable reasons an audit operation can fail; messages never carry event contents. */
export type AuditErrorCode =
  /** A query filter or page argument is out of range (first not 1..200, a bad date). */
  | 'INVALID_QUERY'
  /** The `after` cursor is not one this module produced. */
  | 'INVALID_CURSOR'
  /** MongoDB could not be reached or refused the write; the events stay buffered for a retry. */
  | 'UNAVAILABLE';

/** The only error type thrown by @baas/audit (record() never throws); map INVALID_* to badInput. */
export class AuditError extends Error {
  readonly code: AuditErrorCode;

  constructor(code: AuditErrorCode, message: string, options?: ErrorOptions) {
    super(message, options);
    this.name = 'AuditError';
    this.code = code;
  }
}

/** True for an AuditError, optionally of one code; checks the shape so duplicated module instances still match. */
export function isAuditError(value: unknown, code?: AuditErrorCode): value is AuditError {
  if (!(value instanceof Error) || value.name !== 'AuditError') return false;
  const actual = (value as { code?: unknown }).code;
  return typeof actual === 'string' && (code === undefined || actual === code);
}
