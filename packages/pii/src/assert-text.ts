import { PiiError } from './errors';

// With the u flag a surrogate pair reads as one code point, so \p{Cs} only matches a lone half.
const LONE_SURROGATE = /\p{Cs}/u;

/**
 * Throws INVALID_INPUT unless `value` is a well-formed string: UTF-8 encoding would turn a lone
 * surrogate into U+FFFD, and the value would then decrypt (or index) as something else.
 */
export function assertText(options: { value: unknown; name: string }): void {
  if (typeof options.value !== 'string' || LONE_SURROGATE.test(options.value)) {
    throw new PiiError('INVALID_INPUT', `${options.name} must be a well-formed string`);
  }
}

/** Throws INVALID_CONTEXT unless `context` is a non-empty well-formed string without '\0'. */
export function assertContext(options: { context: unknown }): void {
  const { context } = options;
  if (typeof context !== 'string' || context === '' || context.includes('\0') || LONE_SURROGATE.test(context)) {
    throw new PiiError('INVALID_CONTEXT', 'PII context must be a non-empty well-formed string without "\\0"');
  }
}
