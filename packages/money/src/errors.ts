/** Machine-readable reasons a money operation can fail; stable, safe to map to GraphQL error codes. */
export type MoneyErrorCode =
  | 'UNKNOWN_CURRENCY'
  | 'CURRENCY_MISMATCH'
  | 'INVALID_AMOUNT'
  | 'INVALID_RATE'
  | 'INVALID_ROUNDING_MODE'
  | 'INVALID_ALLOCATION'
  | 'INVALID_LOCALE'
  | 'DIVISION_BY_ZERO';

/** The only error type thrown by @baas/money; `code` tells callers what went wrong without parsing messages. */
export class MoneyError extends Error {
  readonly code: MoneyErrorCode;

  constructor(code: MoneyErrorCode, message: string, options?: ErrorOptions) {
    super(message, options);
    this.name = 'MoneyError';
    this.code = code;
  }
}

/** True for a MoneyError, optionally of one code; works across duplicated module instances by checking the shape. */
export function isMoneyError(value: unknown, code?: MoneyErrorCode): value is MoneyError {
  if (!(value instanceof Error) || value.name !== 'MoneyError') return false;
  const actual = (value as { code?: unknown }).code;
  return typeof actual === 'string' && (code === undefined || actual === code);
}
