import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import {
  answerChallenge,
  challengeCodeKey,
  challengeCodeMatches,
  challengeCovers,
  challengeExpiry,
  challengeRequired,
  hashChallengeCode,
  newChallengeCode,
  THREE_DS_CODE_TTL_MS,
  THREE_DS_MAX_ATTEMPTS,
  type ChallengeFacts,
} from '../../src/domain/three-ds';

const KEY = challengeCodeKey(new Uint8Array(32).fill(9));
const ID = '0b0f8a52-5c1e-4b8e-9d1a-2f6f3f1c2a10';
const codeArb = fc.integer({ min: 0, max: 999_999 }).map((n) => String(n).padStart(6, '0'));
const T0 = new Date('2026-12-06T04:00:00Z');
const pending = (code: string, over: Partial<ChallengeFacts> = {}): ChallengeFacts => ({
  id: ID, state: 'PENDING', codeHash: hashChallengeCode(KEY, ID, code), attempts: 0, expiresAt: challengeExpiry(T0), ...over,
});

describe('challenge codes', () => {
  it('are 6 digits', () => {
    for (let i = 0; i < 200; i++) assert.match(newChallengeCode(), /^\d{6}$/);
  });

  it('match their own hash only, and the hash never holds the code', () => {
    fc.assert(
      fc.property(codeArb, codeArb, (code, other) => {
        const stored = hashChallengeCode(KEY, ID, code);
        assert.equal(stored.includes(code), false);
        assert.equal(challengeCodeMatches(KEY, ID, code, stored), true);
        assert.equal(challengeCodeMatches(KEY, ID, other, stored), other === code);
      }),
    );
  });

  it('are bound to the challenge and the key', () => {
    const stored = hashChallengeCode(KEY, ID, '123456');
    assert.equal(challengeCodeMatches(KEY, ID.replace('0b0f', '1b0f'), '123456', stored), false);
    assert.equal(challengeCodeMatches(challengeCodeKey(new Uint8Array(32).fill(1)), ID, '123456', stored), false);
    assert.equal(challengeCodeMatches(KEY, ID.toUpperCase(), '123456', stored), true);
  });

  it('refuse malformed codes and stored values', () => {
    const stored = hashChallengeCode(KEY, ID, '123456');
    for (const code of ['12345', '1234567', ' 123456', 'abcdef', '']) assert.equal(challengeCodeMatches(KEY, ID, code, stored), false);
    for (const s of ['', 'hmac$', 'scrypt$x$y', stored.slice(0, -1)]) assert.equal(challengeCodeMatches(KEY, ID, '123456', s), false);
  });

  it('need a key of 16 bytes or more', () => {
    assert.throws(() => challengeCodeKey(new Uint8Array(8)), RangeError);
  });
});

describe('answerChallenge', () => {
  it('verifies the right code before the expiry, and repeats VERIFIED without a change', () => {
    const first = answerChallenge(KEY, pending('042042'), '042042', new Date(T0.getTime() + THREE_DS_CODE_TTL_MS - 1));
    assert.deepEqual(first, { kind: 'VERIFIED', changed: true, attempts: 0 });
    assert.deepEqual(answerChallenge(KEY, pending('042042', { state: 'VERIFIED' }), '042042', new Date(T0.getTime() + 10 * THREE_DS_CODE_TTL_MS)), { kind: 'VERIFIED', changed: false, attempts: 0 });
  });

  it('expires at five minutes whatever the code', () => {
    const at = new Date(T0.getTime() + THREE_DS_CODE_TTL_MS);
    assert.deepEqual(answerChallenge(KEY, pending('042042'), '042042', at), { kind: 'EXPIRED', changed: true, attempts: 0 });
    assert.deepEqual(answerChallenge(KEY, pending('042042', { state: 'EXPIRED' }), '042042', T0), { kind: 'EXPIRED', changed: false, attempts: 0 });
  });

  it('fails at the third wrong code; a failed challenge stays failed even for the right code', () => {
    fc.assert(
      fc.property(codeArb, fc.array(codeArb, { minLength: 1, maxLength: 6 }), (code, tries) => {
        let facts = pending(code);
        for (const tried of tries) {
          const out = answerChallenge(KEY, facts, tried, T0);
          if (facts.state === 'FAILED') {
            assert.equal(out.kind, 'FAILED');
            assert.equal(out.changed, false);
            continue;
          }
          if (facts.state === 'VERIFIED') {
            assert.equal(out.kind, tried === code ? 'VERIFIED' : 'WRONG_CODE');
            continue;
          }
          if (tried === code) {
            assert.equal(out.kind, 'VERIFIED');
            facts = { ...facts, state: 'VERIFIED' };
          } else {
            assert.equal(out.attempts, facts.attempts + 1);
            assert.equal(out.kind, out.attempts >= THREE_DS_MAX_ATTEMPTS ? 'FAILED' : 'WRONG_CODE');
            if (out.kind === 'WRONG_CODE') assert.equal(out.attemptsLeft, THREE_DS_MAX_ATTEMPTS - out.attempts);
            facts = { ...facts, attempts: out.attempts, state: out.kind === 'FAILED' ? 'FAILED' : 'PENDING' };
          }
          assert.ok(facts.attempts <= THREE_DS_MAX_ATTEMPTS);
        }
      }),
    );
  });
});

describe('challengeCovers and challengeRequired', () => {
  it('a verified, unused challenge of the same card covers amounts up to its own', () => {
    fc.assert(
      fc.property(fc.bigInt({ min: 1n, max: 10n ** 12n }), fc.bigInt({ min: 1n, max: 10n ** 12n }), (challenged, asked) => {
        assert.equal(challengeCovers({ state: 'VERIFIED', cardId: 'c1', amount: challenged }, 'c1', asked), asked <= challenged);
      }),
    );
    assert.equal(challengeCovers({ state: 'VERIFIED', cardId: 'c1', amount: 100n }, 'c2', 100n), false);
    for (const state of ['PENDING', 'FAILED', 'EXPIRED', 'USED'] as const) assert.equal(challengeCovers({ state, cardId: 'c1', amount: 100n }, 'c1', 1n), false);
  });

  it('only ONLINE authorisations above the tenant threshold need one; no threshold, none', () => {
    assert.equal(challengeRequired(null, 'ONLINE', 10n ** 12n), false);
    assert.equal(challengeRequired(1000n, 'ONLINE', 1000n), false);
    assert.equal(challengeRequired(1000n, 'ONLINE', 1001n), true);
    assert.equal(challengeRequired(1000n, 'CHIP', 1001n), false);
    assert.equal(challengeRequired(0n, 'ONLINE', 1n), true);
  });
});
