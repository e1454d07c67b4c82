import { GraphQLError, type GraphQLFormattedError } from 'graphql';
import { ERROR_CODES, isErrorCode } from './codes';
import { DomainError } from './domain-error';
import { isStoreUnavailable } from './store-unavailable';

/** Codes produced by GraphQL itself or by Apollo Server for bad requests: safe to show as they are. */
const CLIENT_CODES = new Set([
  'GRAPHQL_PARSE_FAILED',
  'GRAPHQL_VALIDATION_FAILED',
  'BAD_USER_INPUT',
  'BAD_REQUEST',
  'PERSISTED_QUERY_NOT_FOUND',
  'PERSISTED_QUERY_NOT_SUPPORTED',
  'OPERATION_RESOLUTION_FAILURE',
]);

export type ErrorReporter = (error: unknown, formatted: GraphQLFormattedError) => void;

function unwrap(error: unknown): unknown {
  let current = error;
  while (current instanceof GraphQLError && current.originalError && current.originalError !== current) {
    current = current.originalError;
  }
  return current;
}

/**
 * Apollo Server `formatError`: expected errors keep their message and stable code; a store that
 * cannot be reached now (isStoreUnavailable) is SERVICE_UNAVAILABLE, which a client retries; anything
 * else becomes a generic internal error (no stack, SQL or secret reaches the client). Both are reported
 * with the correlation id so an operator can find it in the logs.
 */
export function createErrorFormatter(opts: { report?: ErrorReporter; correlationId?: () => string | undefined } = {}) {
  return (formatted: GraphQLFormattedError, error: unknown): GraphQLFormattedError => {
    const original = unwrap(error);
    const correlationId = opts.correlationId?.();
    const base = { locations: formatted.locations, path: formatted.path };
    if (original instanceof DomainError) {
      return {
        ...base,
        message: original.message,
        extensions: { code: original.code, ...(original.details ? { details: original.details } : {}), ...(correlationId ? { correlationId } : {}) },
      };
    }
    const code = formatted.extensions?.code;
    if (typeof code === 'string' && (CLIENT_CODES.has(code) || (isErrorCode(code) && code !== 'INTERNAL_SERVER_ERROR'))) {
      const extensions: Record<string, unknown> = { code };
      for (const key of ['details', 'retryAfterSeconds', 'serviceName', 'limit']) {
        if (formatted.extensions?.[key] !== undefined) extensions[key] = formatted.extensions[key];
      }
      if (correlationId) extensions.correlationId = correlationId;
      return { ...base, message: formatted.message, extensions };
    }
    opts.report?.(original, formatted);
    if (isStoreUnavailable(original)) {
      // A store down or restarting: nothing is wrong with the request, and repeating it (same
      // idempotency key) is the right thing to do, so say so rather than "internal error".
      return {
        ...base,
        message: ERROR_CODES.SERVICE_UNAVAILABLE.message,
        extensions: { code: 'SERVICE_UNAVAILABLE', ...(correlationId ? { correlationId } : {}) },
      };
    }
    return {
      ...base,
      message: ERROR_CODES.INTERNAL_SERVER_ERROR.message,
      extensions: { code: 'INTERNAL_SERVER_ERROR', ...(correlationId ? { correlationId } : {}) },
    };
  };
}

/** A GraphQLError carrying a stable code, for code that must throw GraphQL errors directly (plugins). */
export function codedGraphQLError(code: keyof typeof ERROR_CODES, message?: string, extensions: Record<string, unknown> = {}) {
  return new GraphQLError(message ?? ERROR_CODES[code].message, {
    extensions: { code, http: { status: ERROR_CODES[code].http }, ...extensions },
  });
}
