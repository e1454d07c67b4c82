import { createHash, randomBytes, randomInt, timingSafeEqual } from 'node:crypto';
import type { PiiVault } from '@baas/pii';

/** Digits of a one-time code. */
export const CODE_DIGITS = 6;

/** Blind-index context of code hashes: keyed, and separate from every customer field's context. */
const CODE_HASH_CONTEXT = 'identity.sign-in.otp-code';

/** A uniformly random 6-digit code (leading zeros kept). */
export function newCode(): string {
  return String(randomInt(0, 10 ** CODE_DIGITS)).padStart(CODE_DIGITS, '0');
}

/**
 * HMAC-SHA-256 (the vault's blind-index key) of the code bound to its challenge: a database reader
 * without the key cannot try the million codes offline, and a hash cannot serve another challenge.
 */
export function codeHash(vault: PiiVault, challengeId: string, code: string): string {
  return vault.blindIndex(`${challengeId}:${code}`, CODE_HASH_CONTEXT);
}

/** A magic-link token: 256 random bits, base64url (43 characters). */
export function newLinkToken(): string {
  return randomBytes(32).toString('base64url');
}

/** What a magic-link token looks like; anything else is refused before it is hashed. */
export const LINK_TOKEN_PATTERN = /^[A-Za-z0-9_-]{43}$/;

/** The token is 256 random bits, so an unkeyed SHA-256 is enough to store it. */
export function linkTokenHash(token: string): string {
  return createHash('sha256').update(token, 'utf8').digest('hex');
}

/** Constant-time equality of two hex digests. */
export function digestsEqual(a: string, b: string): boolean {
  const x = Buffer.from(a, 'hex');
  const y = Buffer.from(b, 'hex');
  return x.length === y.length && x.length > 0 && timingSafeEqual(x, y);
}
