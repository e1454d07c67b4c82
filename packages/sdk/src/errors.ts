/**
 * The stable codes the API puts in a GraphQL error's `extensions.code` (the platform's table is
 * packages/errors/src/codes.ts, docs/errors.md; packages/sdk/test/client.test.ts checks this list against
 * it). A code is never renamed; new ones may appear, so `code` is typed as this union or any string.
 */
export const BAAS_ERROR_CODES = [
  'BAD_USER_INPUT', 'UNAUTHENTICATED', 'FORBIDDEN', 'REFRESH_TOKEN_REUSED', 'STEP_UP_REQUIRED', 'TENANT_SUSPENDED',
  'INVALID_CODE', 'TOO_MANY_ATTEMPTS', 'NOT_FOUND', 'CONFLICT', 'IDEMPOTENCY_KEY_REUSED', 'IDEMPOTENCY_KEY_IN_FLIGHT',
  'RATE_LIMITED', 'BAD_REQUEST', 'PAYLOAD_TOO_LARGE', 'HEADERS_TOO_LARGE', 'METHOD_NOT_ALLOWED', 'QUERY_TOO_LARGE',
  'QUERY_TOO_DEEP', 'TOO_MANY_ALIASES', 'QUERY_TOO_COMPLEX', 'SUBGRAPH_UNAVAILABLE', 'SERVICE_UNAVAILABLE',
  'INSUFFICIENT_FUNDS', 'LIMIT_EXCEEDED', 'CURRENCY_MISMATCH', 'ACCOUNT_FROZEN', 'ACCOUNT_CLOSED', 'RISK_DECLINED',
  'INTERNAL_SERVER_ERROR', 'GRAPHQL_PARSE_FAILED', 'GRAPHQL_VALIDATION_FAILED', 'PERSISTED_QUERY_NOT_FOUND',
  'PERSISTED_QUERY_NOT_SUPPORTED', 'PERSISTED_QUERY_NOT_ALLOWED', 'OPERATION_RESOLUTION_FAILURE',
] as const;

export type BaasErrorCode = (typeof BAAS_ERROR_CODES)[number];

/** One entry of a GraphQL response's `errors`. */
export type GraphQLErrorEntry = { message: string; path?: (string | number)[]; extensions?: Record<string, unknown> };

/**
 * Thrown by `BaasClient.request` when the response carries errors (or no data): `code` is the first
 * error's `extensions.code` (`NETWORK_ERROR` when no GraphQL response came back, `INTERNAL_SERVER_ERROR`
 * when a response had no code), `status` the HTTP status, `errors` all of them, `data` any partial data.
 */
export class BaasError extends Error {
  override readonly name = 'BaasError';
  readonly code: BaasErrorCode | 'NETWORK_ERROR' | (string & {});
  readonly status: number;
  readonly errors: GraphQLErrorEntry[];
  readonly data: unknown;

  constructor(opts: { message: string; code: string; status: number; errors?: GraphQLErrorEntry[]; data?: unknown; cause?: unknown }) {
    super(opts.message, opts.cause === undefined ? undefined : { cause: opts.cause });
    this.code = opts.code;
    this.status = opts.status;
    this.errors = opts.errors ?? [];
    this.data = opts.data ?? null;
  }

  /** The error's extensions (correlationId, reason, retryAfterSeconds, …) of the first error. */
  get extensions(): Record<string, unknown> {
    return this.errors[0]?.extensions ?? {};
  }
}

/** Narrows an unknown caught value to a BaasError with one of the given codes. */
export function isBaasError(error: unknown, ...codes: string[]): error is BaasError {
  return error instanceof BaasError && (codes.length === 0 || codes.includes(error.code));
}
