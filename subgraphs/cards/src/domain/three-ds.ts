/**
 * 3-D Secure challenges answered with a one-time code (the issuer's ACS role, as card sandboxes run it).
 * A challenge has a 6-digit code, stored only as a keyed hash (HMAC-SHA256 under a key derived from the
 * issuer's secret, bound to the challenge id so one hash says nothing about another challenge), valid
 * THREE_DS_CODE_TTL_MS and failed after THREE_DS_MAX_ATTEMPTS wrong tries. Pure: no I/O, no clock.
 */
import { createHmac, hkdfSync, randomInt, timingSafeEqual } from 'node:crypto';

export const THREE_DS_CODE_TTL_MS = 5 * 60_000;
export const THREE_DS_MAX_ATTEMPTS = 3;
const CODE = /^\d{6}$/;

export type ChallengeState = 'PENDING' | 'VERIFIED' | 'FAILED' | 'EXPIRED' | 'USED';

/** What an answer needs to know of a stored challenge. */
export type ChallengeFacts = {
  readonly id: string;
  readonly state: ChallengeState;
  readonly codeHash: string;
  readonly attempts: number;
  readonly expiresAt: Date;
};

/**
 * The result of answering: the new state and attempts to store, and what the cardholder is told.
 * `changed` is false when nothing is to be written (a repeat after the challenge was settled).
 */
export type AnswerOutcome =
  | { readonly kind: 'VERIFIED'; readonly changed: boolean; readonly attempts: number }
  | { readonly kind: 'WRONG_CODE'; readonly changed: boolean; readonly attempts: number; readonly attemptsLeft: number }
  | { readonly kind: 'FAILED'; readonly changed: boolean; readonly attempts: number }
  | { readonly kind: 'EXPIRED'; readonly changed: boolean; readonly attempts: number };

/** The code-hashing key for a challenge store: HKDF-SHA256 of the issuer secret, labelled for this use only. */
export function challengeCodeKey(secret: Uint8Array): Buffer {
  if (secret.length < 16) throw new RangeError('the 3-D Secure code key needs a secret of at least 16 bytes');
  return Buffer.from(hkdfSync('sha256', secret, Buffer.alloc(0), 'cards.3ds.code.v1', 32));
}

/** A new 6-digit code (uniform, leading zeros kept). */
export function newChallengeCode(): string {
  return randomInt(0, 1_000_000).toString().padStart(6, '0');
}

/** The stored form of a challenge's code: `hmac$<hex>` of "challengeId|code" under the key. */
export function hashChallengeCode(key: Uint8Array, challengeId: string, code: string): string {
  return `hmac$${createHmac('sha256', key).update(`${challengeId.toLowerCase()}|${code}`).digest('hex')}`;
}

/** Whether `code` is the challenge's (constant time); false for a malformed code or stored hash. */
export function challengeCodeMatches(key: Uint8Array, challengeId: string, code: string, stored: string): boolean {
  if (typeof code !== 'string' || !CODE.test(code)) return false;
  if (!/^hmac\$[0-9a-f]{64}$/.test(stored)) return false;
  const expected = Buffer.from(stored.slice(5), 'hex');
  const actual = Buffer.from(hashChallengeCode(key, challengeId, code).slice(5), 'hex');
  return timingSafeEqual(expected, actual);
}

/** When a challenge created at `now` stops accepting its code. */
export function challengeExpiry(now: Date): Date {
  return new Date(now.getTime() + THREE_DS_CODE_TTL_MS);
}

/**
 * Answers `code` to a challenge at `now`. A verified challenge (or one an authorisation used) answers
 * VERIFIED again for its right code, so a repeat is safe; a settled FAILED or EXPIRED one stays so. A
 * pending one past its expiry is EXPIRED whatever the code; a wrong code counts an attempt and the
 * THREE_DS_MAX_ATTEMPTS-th wrong one fails it.
 */
export function answerChallenge(key: Uint8Array, challenge: ChallengeFacts, code: string, now: Date): AnswerOutcome {
  const { attempts } = challenge;
  if (challenge.state === 'FAILED') return { kind: 'FAILED', changed: false, attempts };
  if (challenge.state === 'EXPIRED') return { kind: 'EXPIRED', changed: false, attempts };
  const matches = challengeCodeMatches(key, challenge.id, code, challenge.codeHash);
  if (challenge.state === 'VERIFIED' || challenge.state === 'USED') {
    // A settled challenge counts no more tries: a wrong code is only told it is wrong.
    return matches ? { kind: 'VERIFIED', changed: false, attempts } : { kind: 'WRONG_CODE', changed: false, attempts, attemptsLeft: 0 };
  }
  if (now.getTime() >= challenge.expiresAt.getTime()) return { kind: 'EXPIRED', changed: true, attempts };
  if (matches) return { kind: 'VERIFIED', changed: true, attempts };
  const tried = attempts + 1;
  if (tried >= THREE_DS_MAX_ATTEMPTS) return { kind: 'FAILED', changed: true, attempts: tried };
  return { kind: 'WRONG_CODE', changed: true, attempts: tried, attemptsLeft: THREE_DS_MAX_ATTEMPTS - tried };
}

/**
 * Whether an authorisation of `amount` on `cardId` at `now` may use the challenge: VERIFIED (not yet
 * used), for that card, for at least that amount. The challenge's own expiry bounds only the code.
 */
export function challengeCovers(challenge: { state: ChallengeState; cardId: string; amount: bigint }, cardId: string, amount: bigint): boolean {
  return challenge.state === 'VERIFIED' && challenge.cardId === cardId && amount <= challenge.amount;
}

/** Whether the tenant's threshold asks an ONLINE authorisation of `amount` for a verified challenge. */
export function challengeRequired(threshold: bigint | null | undefined, channel: string, amount: bigint): boolean {
  return threshold != null && channel === 'ONLINE' && amount > threshold;
}
