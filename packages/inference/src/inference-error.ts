import { DomainError, type ErrorCode } from '@baas/errors';

/**
 * Stable failure codes of @baas/inference. Callers (and their logs) branch on these, so a code is
 * never renamed; add new ones instead. None is a client's fault: features are computed by the
 * service, so at a GraphQL edge all but INFERENCE_OVERLOADED are internal errors.
 */
export const INFERENCE_ERROR_CODES = {
  MODEL_SPEC_INVALID: 'The model specification is not valid.',
  MODEL_FILE_UNREADABLE: 'The model file cannot be read.',
  MODEL_CHECKSUM_MISMATCH: 'The model file does not match its expected sha256: refusing to load it.',
  MODEL_LOAD_FAILED: 'The model could not be loaded by onnxruntime.',
  MODEL_SHAPE_UNSUPPORTED: 'The model does not take and give float32 rows ([N, k] tensors).',
  MODEL_CLOSED: 'The model has been closed.',
  INFERENCE_INPUT_INVALID: 'The input row does not fit the model.',
  INFERENCE_OVERLOADED: 'Too many rows are waiting for the model.',
  INFERENCE_FAILED: 'The model run failed.',
} as const;

export type InferenceErrorCode = keyof typeof INFERENCE_ERROR_CODES;

/**
 * An inference failure with a stable `code`. `message` says what went wrong with names and sizes
 * only (never feature values); the onnxruntime error, when there is one, is kept in `cause`.
 */
export class InferenceError extends Error {
  readonly code: InferenceErrorCode;
  readonly details: Record<string, unknown> | undefined;

  constructor(code: InferenceErrorCode, message?: string, opts: { details?: Record<string, unknown>; cause?: unknown } = {}) {
    super(message ?? INFERENCE_ERROR_CODES[code], opts.cause === undefined ? undefined : { cause: opts.cause });
    this.name = 'InferenceError';
    this.code = code;
    this.details = opts.details;
  }

  /**
   * What a resolver throws: SERVICE_UNAVAILABLE when the model is overloaded (the client may retry),
   * otherwise INTERNAL_SERVER_ERROR with the generic text; the inference code in `details.reason`.
   */
  toDomainError(): DomainError {
    const code: ErrorCode = this.code === 'INFERENCE_OVERLOADED' ? 'SERVICE_UNAVAILABLE' : 'INTERNAL_SERVER_ERROR';
    return new DomainError(code, undefined, { reason: this.code });
  }
}

/** Narrows an unknown error to an InferenceError, optionally of one code. */
export function isInferenceError(error: unknown, code?: InferenceErrorCode): error is InferenceError {
  return error instanceof InferenceError && (code === undefined || error.code === code);
}
