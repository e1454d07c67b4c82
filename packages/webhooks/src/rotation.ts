import { generateSigningSecret } from './signing';

/**
 * An endpoint's signing secrets over time (pure). The newest secret is the current one; a rotation
 * adds a new one and gives every older one an expiry `overlapMs` ahead, during which deliveries
 * carry a signature by each, so a receiver can switch its secret at any moment in the window.
 */
export type EndpointSecret = {
  secret: string;
  createdAt: Date;
  /** Null while current; set by a rotation to the end of its overlap. */
  expiresAt: Date | null;
};

/** The default overlap of a rotation: 24 hours (Svix's). */
export const DEFAULT_ROTATION_OVERLAP_MS = 24 * 60 * 60_000;
/** The longest overlap a tenant may ask for: 7 days. */
export const MAX_ROTATION_OVERLAP_MS = 7 * 24 * 60 * 60_000;

/** The secrets that sign at `now`: not expired, newest first. */
export function activeSecrets(secrets: readonly EndpointSecret[], now: Date): string[] {
  return secrets
    .filter((s) => s.expiresAt === null || s.expiresAt.getTime() > now.getTime())
    .sort((a, b) => b.createdAt.getTime() - a.createdAt.getTime())
    .map((s) => s.secret);
}

/**
 * A rotation at `now`: the new secret (generated unless given) becomes current; each older secret
 * still active expires at `now + overlapMs` (an earlier expiry is kept); expired ones are dropped.
 * `overlapMs` 0 retires the old secrets at once (a compromised secret).
 */
export function rotateSecrets(
  secrets: readonly EndpointSecret[],
  now: Date,
  overlapMs = DEFAULT_ROTATION_OVERLAP_MS,
  newSecret: string = generateSigningSecret(),
): { secrets: EndpointSecret[]; current: string } {
  if (!Number.isInteger(overlapMs) || overlapMs < 0 || overlapMs > MAX_ROTATION_OVERLAP_MS) throw new RangeError(`the overlap is 0 to ${MAX_ROTATION_OVERLAP_MS} ms`);
  const until = now.getTime() + overlapMs;
  const kept = secrets
    .filter((s) => s.expiresAt === null || s.expiresAt.getTime() > now.getTime())
    .map((s) => ({ ...s, expiresAt: new Date(Math.min(s.expiresAt?.getTime() ?? until, until)) }))
    .filter((s) => s.expiresAt.getTime() > now.getTime());
  return { secrets: [{ secret: newSecret, createdAt: now, expiresAt: null }, ...kept], current: newSecret };
}
