import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';

/** A new 256-bit secret with a readable prefix (`bsk_` client secrets, `brt_` refresh tokens). */
export function newSecret(prefix: 'bsk' | 'brt'): string {
  return `${prefix}_${randomBytes(32).toString('base64url')}`;
}

/** Secrets are 256-bit random values, so SHA-256 is enough to store them (no password stretching needed). */
export function hashSecret(secret: string): string {
  return createHash('sha256').update(secret).digest('hex');
}

/** Compares a presented secret with a stored hash in constant time. */
export function secretMatches(secret: string, storedHash: string | null | undefined): boolean {
  if (!storedHash) return false;
  const a = Buffer.from(hashSecret(secret), 'hex');
  const b = Buffer.from(storedHash, 'hex');
  return a.length === b.length && timingSafeEqual(a, b);
}
