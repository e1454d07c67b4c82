import { randomBytes, randomInt, scrypt, timingSafeEqual } from 'node:crypto';

/**
 * The one-time codes that prove an e-mail or phone key's owner receives it: 6 digits, stored only
 * as `scrypt$<salt>$<hash>` (a per-key random salt; scrypt makes a stolen table slow to search even
 * though codes are short), valid KEY_CODE_TTL_MS, spent after KEY_CODE_MAX_ATTEMPTS tries.
 */
export const KEY_CODE_TTL_MS = 10 * 60_000;
export const KEY_CODE_MAX_ATTEMPTS = 5;
/** A repeat of a pending registration gets a new code at most this often. */
export const KEY_CODE_RESEND_AFTER_MS = 60_000;

const KEYLEN = 32;
const derive = (code: string, salt: Buffer) =>
  new Promise<Buffer>((resolve, reject) => scrypt(code, salt, KEYLEN, (error, key) => (error ? reject(error) : resolve(key))));

/** A new 6-digit code (uniform, leading zeros kept). */
export function newKeyCode(): string {
  return randomInt(0, 1_000_000).toString().padStart(6, '0');
}

/** The stored form of a code: `scrypt$<salt b64url>$<hash b64url>` under a fresh random salt. */
export async function hashKeyCode(code: string): Promise<string> {
  const salt = randomBytes(16);
  return `scrypt$${salt.toString('base64url')}$${(await derive(code, salt)).toString('base64url')}`;
}

/** Whether `code` is the one stored as `stored` (constant-time comparison); false for a malformed stored value. */
export async function keyCodeMatches(code: string, stored: string | null | undefined): Promise<boolean> {
  if (!stored || typeof code !== 'string' || !/^\d{6}$/.test(code.trim())) return false;
  const [scheme, salt, hash] = stored.split('$');
  if (scheme !== 'scrypt' || !salt || !hash) return false;
  const expected = Buffer.from(hash, 'base64url');
  const actual = await derive(code.trim(), Buffer.from(salt, 'base64url'));
  return expected.length === actual.length && timingSafeEqual(expected, actual);
}
