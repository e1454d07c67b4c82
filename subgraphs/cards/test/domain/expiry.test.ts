import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { expiresAt, expiryFor, isExpired, parseExpiry } from '../../src/domain/expiry';

const dateArb = fc.date({ min: new Date('2000-01-01T00:00:00Z'), max: new Date('2079-12-31T23:59:59Z'), noInvalidDate: true });

describe('expiryFor', () => {
  it('same month, years later, in UTC', () => {
    assert.equal(expiryFor(new Date('2026-12-05T23:17:00Z')), '3012');
    assert.equal(expiryFor(new Date('2026-01-31T23:59:59Z'), 3), '2901');
    // 23:30 on 31 Dec in São Paulo is already January in UTC.
    assert.equal(expiryFor(new Date('2026-12-31T23:30:00-03:00')), '3101');
    assert.throws(() => expiryFor(new Date('x')), RangeError);
    assert.throws(() => expiryFor(new Date(), 0), RangeError);
  });

  it('a new card is valid until the first instant of the month after its expiry month', () => {
    fc.assert(
      fc.property(dateArb, fc.integer({ min: 1, max: 10 }), (issuedAt, years) => {
        const expiry = expiryFor(issuedAt, years);
        assert.equal(isExpired(expiry, issuedAt), false);
        const end = expiresAt(expiry);
        assert.equal(end.getUTCDate(), 1);
        assert.equal(end.getUTCHours(), 0);
        assert.equal(isExpired(expiry, new Date(end.getTime() - 1)), false);
        assert.equal(isExpired(expiry, end), true);
      }),
    );
  });
});

describe('isExpired', () => {
  it('boundaries', () => {
    assert.equal(isExpired('2812', new Date('2028-12-31T23:59:59.999Z')), false);
    assert.equal(isExpired('2812', new Date('2029-01-01T00:00:00.000Z')), true);
    assert.equal(isExpired('2802', new Date('2028-02-29T12:00:00Z')), false);
    assert.equal(isExpired('2802', new Date('2028-03-01T00:00:00Z')), true);
    assert.throws(() => isExpired('2813', new Date()), RangeError);
  });
});

describe('parseExpiry', () => {
  it('accepts YYMM with months 01..12', () => {
    assert.deepEqual(parseExpiry('3012'), { ok: true, value: { year: 2030, month: 12, expiry: '3012' } });
    assert.deepEqual(parseExpiry('0001'), { ok: true, value: { year: 2000, month: 1, expiry: '0001' } });
  });

  it('refuses malformed input and months 00 and 13', () => {
    for (const raw of ['3013', '3000', '301', '30121', '12/30', 'abcd', '', 3012, null, undefined, ' 3012']) {
      assert.deepEqual(parseExpiry(raw), { ok: false, reason: 'MALFORMED_EXPIRY' });
    }
  });

  it('never throws', () => {
    fc.assert(fc.property(fc.anything(), (raw) => typeof parseExpiry(raw).ok === 'boolean'));
  });
});
