import { DomainError, type ErrorCode } from '@baas/errors';

/**
 * Stable passkey failure codes. Clients and the lead's resolvers branch on these, so a code is never
 * renamed; add new ones instead.
 */
export const PASSKEY_ERROR_CODES = {
  INVALID_USER_HANDLE: 'The user handle must be 1 to 64 bytes.',
  MALFORMED_RESPONSE: 'The passkey response is malformed.',
  UNEXPECTED_CEREMONY_TYPE: 'The passkey response belongs to a different ceremony.',
  CHALLENGE_MISMATCH: 'The passkey response does not answer the expected challenge.',
  CHALLENGE_EXPIRED: 'The passkey challenge has expired.',
  ORIGIN_MISMATCH: 'The passkey response comes from an unexpected origin.',
  RP_ID_MISMATCH: 'The passkey was created for a different relying party.',
  USER_PRESENCE_REQUIRED: 'The authenticator did not report user presence.',
  USER_VERIFICATION_REQUIRED: 'The authenticator did not verify the user.',
  UNSUPPORTED_ALGORITHM: 'The passkey uses an unsupported algorithm.',
  CREDENTIAL_MISMATCH: 'The passkey response is for a different credential.',
  CREDENTIAL_ALREADY_REGISTERED: 'This passkey is already registered.',
  BACKUP_ELIGIBILITY_CHANGED: 'The passkey changed its backup eligibility.',
  COUNTER_REGRESSION: 'The passkey signature counter went backwards.',
  PASSKEY_VERIFICATION_FAILED: 'The passkey could not be verified.',
} as const;

export type PasskeyErrorCode = keyof typeof PASSKEY_ERROR_CODES;

// Which generic code the shared error formatter shows when the lead converts with toDomainError().
const DOMAIN_CODE: Partial<Record<PasskeyErrorCode, ErrorCode>> = {
  INVALID_USER_HANDLE: 'BAD_USER_INPUT',
  MALFORMED_RESPONSE: 'BAD_USER_INPUT',
  CREDENTIAL_ALREADY_REGISTERED: 'CONFLICT',
};

/**
 * An expected passkey failure. `message` is the fixed client-safe text of the code; the underlying
 * library error (which echoes challenges and origins) is kept only in `cause`, for server logs.
 */
export class PasskeyError extends Error {
  readonly code: PasskeyErrorCode;

  constructor(code: PasskeyErrorCode, opts: { cause?: unknown } = {}) {
    super(PASSKEY_ERROR_CODES[code], opts.cause === undefined ? undefined : { cause: opts.cause });
    this.name = 'PasskeyError';
    this.code = code;
  }

  /**
   * The DomainError to throw from a resolver: the generic code (UNAUTHENTICATED, BAD_USER_INPUT or
   * CONFLICT) in `extensions.code`, the passkey code in `extensions.details.reason`, no stack or cause.
   */
  toDomainError(): DomainError {
    return new DomainError(DOMAIN_CODE[this.code] ?? 'UNAUTHENTICATED', this.message, { reason: this.code });
  }
}

/** Narrows an unknown error to a PasskeyError, optionally of one code. */
export function isPasskeyError(error: unknown, code?: PasskeyErrorCode): error is PasskeyError {
  return error instanceof PasskeyError && (code === undefined || error.code === code);
}

/** A PasskeyError as the DomainError a resolver shows; anything else unchanged. */
export function asDomainError(error: unknown): unknown {
  return isPasskeyError(error) ? error.toDomainError() : error;
}
