/**
 * Stable error codes shown to clients in `extensions.code`. Clients branch on these, so a code is
 * never renamed; add new ones instead. Domain-specific codes live with their domain but are listed
 * here so the whole table is visible in one place (docs/errors.md).
 */
export const ERROR_CODES = {
  BAD_USER_INPUT: { http: 400, message: 'The input is not valid.' },
  UNAUTHENTICATED: { http: 401, message: 'Authentication is required.' },
  FORBIDDEN: { http: 403, message: 'You are not allowed to do this.' },
  REFRESH_TOKEN_REUSED: { http: 401, message: 'This refresh token was already used: the session has been revoked.' },
  STEP_UP_REQUIRED: { http: 403, message: 'This action needs a recent passkey confirmation (step-up).' },
  TENANT_SUSPENDED: { http: 403, message: 'The tenant is suspended.' },
  INVALID_CODE: { http: 401, message: 'The code is not valid or has expired.' },
  TOO_MANY_ATTEMPTS: { http: 429, message: 'Too many attempts: start again.' },
  NOT_FOUND: { http: 404, message: 'Not found.' },
  CONFLICT: { http: 409, message: 'The request conflicts with the current state.' },
  IDEMPOTENCY_KEY_REUSED: { http: 422, message: 'This idempotency key was used with a different request.' },
  IDEMPOTENCY_KEY_IN_FLIGHT: { http: 409, message: 'A request with this idempotency key is still in progress.' },
  RATE_LIMITED: { http: 429, message: 'Too many requests.' },
  BAD_REQUEST: { http: 400, message: 'The request is malformed.' },
  PAYLOAD_TOO_LARGE: { http: 413, message: 'The request body is too large.' },
  HEADERS_TOO_LARGE: { http: 431, message: 'The request headers (or URL) are too large.' },
  METHOD_NOT_ALLOWED: { http: 405, message: 'This method is not allowed here.' },
  QUERY_TOO_LARGE: { http: 400, message: 'The query document has too many tokens.' },
  QUERY_TOO_DEEP: { http: 400, message: 'The query is nested too deeply.' },
  TOO_MANY_ALIASES: { http: 400, message: 'The query uses too many aliases.' },
  QUERY_TOO_COMPLEX: { http: 400, message: 'The query is too expensive.' },
  SUBGRAPH_UNAVAILABLE: { http: 503, message: 'A service needed for part of this request is unavailable.' },
  SERVICE_UNAVAILABLE: { http: 503, message: 'The service is unavailable for a moment: try again shortly (with the same idempotency key).' },
  INSUFFICIENT_FUNDS: { http: 422, message: 'Insufficient funds.' },
  LIMIT_EXCEEDED: { http: 422, message: 'A limit would be exceeded.' },
  CURRENCY_MISMATCH: { http: 422, message: 'The currencies do not match.' },
  ACCOUNT_FROZEN: { http: 422, message: 'The account is frozen.' },
  ACCOUNT_CLOSED: { http: 422, message: 'The account is closed.' },
  RISK_DECLINED: { http: 422, message: 'Declined by the risk check.' },
  INTERNAL_SERVER_ERROR: { http: 500, message: 'Internal server error.' },
} as const satisfies Record<string, { http: number; message: string }>;

export type ErrorCode = keyof typeof ERROR_CODES;

export function isErrorCode(value: unknown): value is ErrorCode {
  return typeof value === 'string' && Object.hasOwn(ERROR_CODES, value);
}
