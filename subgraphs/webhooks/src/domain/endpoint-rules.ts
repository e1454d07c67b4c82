import { badInput } from '@baas/errors';
import {
  checkEventPatterns,
  DEFAULT_ROTATION_OVERLAP_MS,
  eventPatternInputError,
  MAX_ROTATION_OVERLAP_MS,
  rotateSecrets,
  type EventTypeRegistry,
} from '@baas/webhooks';

/*
 * The pure rules of webhook endpoints: what an endpoint's fields may hold, how a secret is shown
 * and sealed, and how a rotation treats the stored secrets. No I/O: the URL's DNS check is the use
 * cases' (through @baas/webhooks' checkEndpointUrl with the deployment's policy).
 */

export const MAX_DESCRIPTION = 200;
/** The most secrets that sign at once: a rotation beyond it retires the oldest at once (signature headers stay small). */
export const MAX_LIVE_SECRETS = 5;

/** The event type patterns, checked against the registry (BAD_USER_INPUT field eventTypes, reason ...). */
export function parseEventTypes(value: unknown, registry?: EventTypeRegistry): string[] {
  if (!Array.isArray(value) || value.some((p) => typeof p !== 'string')) throw badInput('eventTypes must be a list of patterns.', { field: 'eventTypes', reason: 'MALFORMED_EVENT_PATTERN' });
  const patterns = [...new Set(value.map((p: string) => p.trim()))];
  const refusals = checkEventPatterns(patterns, registry);
  if (refusals.length) throw eventPatternInputError(refusals);
  return patterns;
}

/** A description: trimmed, empty is none, at most MAX_DESCRIPTION characters. */
export function parseDescription(value: string | null | undefined): string | null {
  if (value === null || value === undefined) return null;
  const text = value.trim();
  if (text.length > MAX_DESCRIPTION) throw badInput(`description is at most ${MAX_DESCRIPTION} characters.`, { field: 'description', reason: 'TOO_LONG' });
  return text === '' ? null : text;
}

/** A rotation's overlap in ms: seconds given (0 retires the old secret at once), 24 hours by default, at most 7 days. */
export function parseOverlap(seconds: number | null | undefined): number {
  if (seconds === null || seconds === undefined) return DEFAULT_ROTATION_OVERLAP_MS;
  const max = MAX_ROTATION_OVERLAP_MS / 1000;
  if (!Number.isInteger(seconds) || seconds < 0 || seconds > max) throw badInput(`overlapSeconds is 0 to ${max}.`, { field: 'overlapSeconds', limit: max });
  return seconds * 1000;
}

/** What may be shown of a secret after it was given out: `whsec_` and its first 4 characters. */
export function secretHint(secret: string): string {
  return `${secret.slice(0, 'whsec_'.length + 4)}…`;
}

/** The @baas/pii context a secret is sealed under: bound to its tenant and endpoint (a sealed value moved elsewhere does not open). */
export function secretContext(tenantId: string, endpointId: string): string {
  return `webhooks.secret:${tenantId}:${endpointId}`;
}

type StoredSecret = { id: string; createdAt: Date; expiresAt: Date | null };

/**
 * A rotation at `now` over the stored secrets (by id, never decrypted): @baas/webhooks'
 * rotateSecrets decides; every secret still active keeps signing until `now + overlapMs` (an
 * earlier expiry is kept), expired ones are dropped, and beyond MAX_LIVE_SECRETS (the new one
 * included) the oldest retire at once. Returns the expiry of each kept secret.
 */
export function planRotation(stored: readonly StoredSecret[], now: Date, overlapMs: number): Map<string, Date> {
  const { secrets } = rotateSecrets(stored.map((s) => ({ secret: s.id, createdAt: s.createdAt, expiresAt: s.expiresAt })), now, overlapMs, '');
  const older = secrets.slice(1).sort((a, b) => b.createdAt.getTime() - a.createdAt.getTime()).slice(0, MAX_LIVE_SECRETS - 1);
  return new Map(older.map((s) => [s.secret, s.expiresAt!]));
}

/** The secrets that still sign at `now` (not expired), newest first: what secretHints shows. */
export function liveSecrets<T extends StoredSecret>(stored: readonly T[], now: Date): T[] {
  return stored.filter((s) => s.expiresAt === null || s.expiresAt.getTime() > now.getTime()).sort((a, b) => b.createdAt.getTime() - a.createdAt.getTime());
}
