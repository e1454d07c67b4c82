import { randomUUID } from 'node:crypto';

// Anything else (newlines, quotes, control characters, huge values) could forge or flood log lines.
const SAFE_CORRELATION_ID = /^[A-Za-z0-9._:-]{1,128}$/;

/** A fresh correlation id (UUID v4). */
export function newCorrelationId(): string {
  return randomUUID();
}

/**
 * Accepts a correlation id from outside (a header, a message) only when it is 1 to 128 characters of
 * [A-Za-z0-9._:-]; returns undefined otherwise so the caller mints a new one.
 */
export function sanitizeCorrelationId(value: unknown): string | undefined {
  if (typeof value !== 'string') return undefined;
  return SAFE_CORRELATION_ID.test(value) ? value : undefined;
}
