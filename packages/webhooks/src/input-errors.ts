import { badInput, type DomainError } from '@baas/errors';
import type { PatternRefusal } from './event-types';
import type { UrlRefusal } from './endpoint-url';

/**
 * The refusals as the API's errors: `BAD_USER_INPUT` with `{ field, reason }` in the details (the
 * platform's convention), the message safe to show (no resolved address, only its range's name).
 */
export function urlInputError(refusal: UrlRefusal, field = 'url'): DomainError {
  return badInput(refusal.message, refusal.range ? { field, reason: refusal.reason, range: refusal.range } : { field, reason: refusal.reason });
}

/** The first refusal among an endpoint's patterns, with every refused pattern listed. */
export function eventPatternInputError(refusals: readonly PatternRefusal[], field = 'eventTypes'): DomainError {
  const first = refusals[0];
  if (!first) throw new TypeError('no refusal to report');
  return badInput(first.message, { field, reason: first.reason, patterns: refusals.map((r) => r.pattern.slice(0, 80)) });
}
