import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { DEFAULT_RETRY_POLICY, maxAttempts, nextAttemptAt, retryDelayMs, shouldDisableEndpoint } from '../src/index';

const S = 1000;
const M = 60 * S;
const H = 60 * M;
const D = 24 * H;
const t0 = new Date('2026-12-05T00:00:00Z');
const rng = (value: number) => () => value;

test('the documented table: 10 attempts, nominal delays 5 s .. 24 h, then give up', () => {
  assert.equal(maxAttempts(), 10);
  const nominal = [5 * S, 5 * M, 30 * M, 2 * H, 5 * H, 10 * H, 14 * H, 20 * H, 24 * H];
  nominal.forEach((ms, i) => assert.equal(retryDelayMs(i + 1, rng(0)), ms, `after attempt ${i + 1}`));
  assert.equal(retryDelayMs(10, rng(0)), null);
  assert.equal(nextAttemptAt(10, t0, rng(0.3)), null);
  const span = nominal.reduce((a, b) => a + b, 0);
  assert.equal(span, 75 * H + 35 * M + 5 * S, 'about three days (75:35:05), the Standard Webhooks example');
  assert.deepEqual(nextAttemptAt(1, t0, rng(0)), new Date(t0.getTime() + 5 * S));
  assert.deepEqual(nextAttemptAt(1, t0, rng(0.999999)), new Date(t0.getTime() + Math.round(5 * S * (1 - 0.5 * 0.999999))));
  assert.throws(() => retryDelayMs(0, rng(0)), RangeError);
  assert.throws(() => retryDelayMs(1.5, rng(0)), RangeError);
  assert.throws(() => retryDelayMs(1, rng(0), { ...DEFAULT_RETRY_POLICY, jitter: 2 }), RangeError);
});

test('property: each delay lies in (nominal × (1 − jitter), nominal], whatever the rng returns', () => {
  fc.assert(
    fc.property(fc.integer({ min: 1, max: 9 }), fc.double({ min: -1, max: 2, noNaN: true }), fc.double({ min: 0, max: 1, noNaN: true }), (attempt, r, jitter) => {
      const policy = { ...DEFAULT_RETRY_POLICY, jitter };
      const nominal = policy.delaysMs[attempt - 1]!;
      const delay = retryDelayMs(attempt, () => r, policy)!;
      assert.ok(Number.isInteger(delay));
      assert.ok(delay >= 1 && delay <= nominal, `${delay} vs ${nominal}`);
      assert.ok(delay >= Math.floor(nominal * (1 - jitter)), `${delay} vs ${nominal} at jitter ${jitter}`);
    }),
    { numRuns: 2000 },
  );
});

test('property: a whole schedule is increasing in time, ends after 10 attempts, and spans 1.6 to 3.2 days by default', () => {
  fc.assert(
    fc.property(fc.array(fc.double({ min: 0, max: 1, noNaN: true, maxExcluded: true }), { minLength: 9, maxLength: 9 }), (draws) => {
      let at = t0;
      let attempt = 1;
      for (;;) {
        const next = nextAttemptAt(attempt, at, rng(draws[attempt - 1] ?? 0));
        if (next === null) break;
        assert.ok(next.getTime() > at.getTime());
        at = next;
        attempt++;
      }
      assert.equal(attempt, 10);
      const span = at.getTime() - t0.getTime();
      assert.ok(span > 1.5 * D && span <= 3.2 * D, `span ${span / D} days`);
    }),
    { numRuns: 500 },
  );
});

test('Retry-After moves the next attempt later, never earlier, never past a day', () => {
  assert.deepEqual(nextAttemptAt(1, t0, rng(0), { retryAfterMs: 60 * S }), new Date(t0.getTime() + 60 * S));
  assert.deepEqual(nextAttemptAt(4, t0, rng(0), { retryAfterMs: 60 * S }), new Date(t0.getTime() + 2 * H));
  assert.deepEqual(nextAttemptAt(1, t0, rng(0), { retryAfterMs: 30 * D }), new Date(t0.getTime() + D));
  assert.equal(nextAttemptAt(10, t0, rng(0), { retryAfterMs: 60 * S }), null);
});

test('disabling: 410 at once; otherwise 5 days failing with a delivery exhausted; any success resets', () => {
  const now = new Date(t0.getTime() + 10 * D);
  const since = (ms: number) => new Date(now.getTime() - ms);
  assert.deepEqual(shouldDisableEndpoint({ failingSince: since(H), exhaustedSinceSuccess: 0, lastAnswerGone: true }, now), { disable: true, reason: 'GONE' });
  assert.deepEqual(shouldDisableEndpoint({ failingSince: since(5 * D), exhaustedSinceSuccess: 1 }, now), { disable: true, reason: 'FAILING' });
  assert.deepEqual(shouldDisableEndpoint({ failingSince: since(5 * D - 1), exhaustedSinceSuccess: 3 }, now), { disable: false });
  assert.deepEqual(shouldDisableEndpoint({ failingSince: since(9 * D), exhaustedSinceSuccess: 0 }, now), { disable: false }, 'one stray failure long ago, nothing given up');
  assert.deepEqual(shouldDisableEndpoint({ failingSince: null, exhaustedSinceSuccess: 7 }, now), { disable: false });
  fc.assert(
    fc.property(fc.nat({ max: 30 * D }), fc.nat({ max: 20 }), (ago, exhausted) => {
      const v = shouldDisableEndpoint({ failingSince: since(ago), exhaustedSinceSuccess: exhausted }, now);
      assert.equal(v.disable, ago >= 5 * D && exhausted >= 1);
    }),
  );
});
