import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { cvvMatches, decimalise, deriveCvv } from '../../src/domain/cvv';
import { panFromSequence } from '../../src/domain/pan';

const keyArb = fc.uint8Array({ minLength: 32, maxLength: 32 });
const panArb = fc.bigInt({ min: 0n, max: 10n ** 9n - 1n }).map((s) => panFromSequence('400000', s));
const expiryArb = fc.tuple(fc.integer({ min: 0, max: 99 }), fc.integer({ min: 1, max: 12 })).map(
  ([y, m]) => String(y).padStart(2, '0') + String(m).padStart(2, '0'),
);
const KEY = new Uint8Array(32).fill(7);

describe('decimalise', () => {
  it('digits first, then a-f as 0-5', () => {
    assert.equal(decimalise('ab1c2d', 3), '120');
    assert.equal(decimalise('abcdef', 6), '012345');
    assert.equal(decimalise('9f', 3), '95');
  });
});

describe('deriveCvv', () => {
  it('is 3 digits and deterministic', () => {
    fc.assert(
      fc.property(keyArb, panArb, expiryArb, (key, pan, expiry) => {
        const cvv = deriveCvv(key, pan, expiry);
        assert.match(cvv, /^\d{3}$/);
        assert.equal(deriveCvv(Uint8Array.from(key), pan, expiry), cvv);
      }),
    );
  });

  it('different keys give different CVVs for most inputs (< 2 % collisions)', () => {
    const samples = fc.sample(fc.tuple(keyArb, keyArb, panArb, expiryArb), { numRuns: 2000, seed: 42 });
    let same = 0;
    for (const [a, b, pan, expiry] of samples) if (deriveCvv(a, pan, expiry) === deriveCvv(b, pan, expiry)) same++;
    assert.ok(same / samples.length < 0.02, `${same} collisions in ${samples.length}`);
  });

  it('depends on the expiry and the service code', () => {
    const pan = panFromSequence('400000', 1n);
    const byExpiry = new Set(['2801', '2802', '2803', '2804', '2805', '2806', '2807', '2808'].map((e) => deriveCvv(KEY, pan, e)));
    assert.ok(byExpiry.size > 4);
    assert.equal(deriveCvv(KEY, pan, '2801'), deriveCvv(KEY, pan, '2801', '000'));
  });

  it('refuses short keys and malformed inputs', () => {
    assert.throws(() => deriveCvv(new Uint8Array(8), '4111111111111111', '2801'), RangeError);
    assert.throws(() => deriveCvv(KEY, '4111', '2801'), RangeError);
    assert.throws(() => deriveCvv(KEY, '4111111111111111', '281'), RangeError);
    assert.throws(() => deriveCvv(KEY, '4111111111111111', '2801', '1'), RangeError);
  });
});

describe('cvvMatches', () => {
  it('accepts the derived CVV and refuses any other', () => {
    fc.assert(
      fc.property(panArb, expiryArb, fc.integer({ min: 1, max: 999 }), (pan, expiry, delta) => {
        const cvv = deriveCvv(KEY, pan, expiry);
        assert.equal(cvvMatches(KEY, pan, expiry, cvv), true);
        const other = String((Number(cvv) + delta) % 1000).padStart(3, '0');
        assert.equal(cvvMatches(KEY, pan, expiry, other), false);
      }),
    );
  });

  it('is false, never a throw, for malformed input', () => {
    const pan = panFromSequence('400000', 5n);
    const cvv = deriveCvv(KEY, pan, '2801');
    for (const given of [undefined, null, 123, '', '12', '1234', ' ' + cvv, 'abc']) assert.equal(cvvMatches(KEY, pan, '2801', given), false);
    assert.equal(cvvMatches(new Uint8Array(4), pan, '2801', cvv), false);
    assert.equal(cvvMatches(KEY, 'x', '2801', cvv), false);
    assert.equal(cvvMatches(KEY, pan, '28-1', cvv), false);
    fc.assert(fc.property(fc.anything(), (given) => typeof cvvMatches(KEY, pan, '2801', given) === 'boolean'));
  });
});
