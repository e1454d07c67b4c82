import { ERROR_CODES, type ErrorCode } from './codes';

/**
 * An expected failure: its message and code are safe to show to a client. `details` must hold
 * only client-safe values (field names, limits), never PII or internals.
 */
export class DomainError extends Error {
  readonly code: ErrorCode;
  readonly details: Record<string, unknown> | undefined;

  constructor(code: ErrorCode, message?: string, details?: Record<string, unknown>) {
    super(message ?? ERROR_CODES[code].message);
    this.name = 'DomainError';
    this.code = code;
    this.details = details;
  }

  get httpStatus(): number {
    return ERROR_CODES[this.code].http;
  }
}

export const badInput = (message: string, details?: Record<string, unknown>) => new DomainError('BAD_USER_INPUT', message, details);
export const notFound = (what: string) => new DomainError('NOT_FOUND', `${what} not found.`);
export const forbidden = (message?: string) => new DomainError('FORBIDDEN', message);
export const unauthenticated = (message?: string) => new DomainError('UNAUTHENTICATED', message);

export function isDomainError(error: unknown): error is DomainError {
  return error instanceof DomainError;
}
