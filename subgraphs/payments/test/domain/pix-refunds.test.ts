import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { isDomainError } from '@baas/errors';
import { REFUND_WINDOW_DAYS, assertRefundable, isRefundReason, refundDeadline, refundable, refundableRemaining } from '../../src/domain/pix-refunds';

const settledAt = new Date('2026-01-10T12:00:00Z');
const days = (n: number) => new Date(settledAt.getTime() + n * 86_400_000);
const base = { original: 10_000n, refunded: [] as bigint[], settledAt, now: days(1), requested: 1_000n };

describe('refundable: known cases', () => {
  it('partial and repeated refunds up to the original', () => {
    assert.deepEqual(refundable(base), { ok: true, remaining: 9_000n });
    assert.deepEqual(refundable({ ...base, refunded: [3_000n, 4_000n], requested: 3_000n }), { ok: true, remaining: 0n });
    const over = refundable({ ...base, refunded: [3_000n, 4_000n], requested: 3_001n });
    assert.equal(over.ok, false);
    if (!over.ok) {
      assert.equal(over.reason, 'REFUND_EXCEEDS_ORIGINAL');
      assert.equal(over.error.code, 'BAD_USER_INPUT');
      assert.deepEqual(over.error.details, { field: 'amount', reason: 'REFUND_EXCEEDS_ORIGINAL', remaining: '3000' });
      assert.doesNotThrow(() => JSON.stringify(over.error.details));
    }
  });

  it('90 days after settlement, inclusive; not before settlement', () => {
    assert.equal(refundDeadline(settledAt).toISOString(), '2026-04-10T12:00:00.000Z');
    assert.equal(refundable({ ...base, now: days(REFUND_WINDOW_DAYS) }).ok, true);
    const late = refundable({ ...base, now: new Date(days(REFUND_WINDOW_DAYS).getTime() + 1) });
    assert.equal(late.ok, false);
    if (!late.ok) {
      assert.equal(late.reason, 'REFUND_WINDOW_EXPIRED');
      assert.equal(late.error.code, 'CONFLICT');
      assert.equal(late.error.details?.reason, 'REFUND_WINDOW_EXPIRED');
    }
    const early = refundable({ ...base, now: new Date(settledAt.getTime() - 1) });
    assert.equal(early.ok ? null : early.reason, 'NOT_SETTLED');
  });

  it('the amount must be positive; malformed input is refused', () => {
    for (const requested of [0n, -1n]) {
      const d = refundable({ ...base, requested });
      assert.equal(d.ok ? null : d.reason, 'INVALID_AMOUNT');
    }
    assert.throws(() => refundable({ ...base, original: 0n }), (e: unknown) => isDomainError(e) && e.details?.field === 'original');
    assert.throws(() => refundable({ ...base, refunded: [0n] }), (e: unknown) => isDomainError(e) && e.details?.field === 'refunded');
    assert.throws(() => refundable({ ...base, now: new Date('x') }), (e: unknown) => isDomainError(e) && e.details?.field === 'now');
    assert.throws(() => assertRefundable({ ...base, requested: 10_001n }), (e: unknown) => isDomainError(e) && e.details?.reason === 'REFUND_EXCEEDS_ORIGINAL');
    assert.equal(assertRefundable(base), 9_000n);
  });

  it('reason codes', () => {
    for (const r of ['MD06', 'BE08', 'FR01', 'SL02']) assert.ok(isRefundReason(r));
    assert.equal(isRefundReason('XX00'), false);
  });
});

describe('refundable: properties', () => {
  it('accepted refunds never sum above the original, and a request is accepted exactly when it fits', () => {
    fc.assert(fc.property(
      fc.bigInt({ min: 1n, max: 10n ** 15n }),
      fc.array(fc.bigInt({ min: -5n, max: 10n ** 15n }), { maxLength: 30 }),
      fc.integer({ min: 0, max: REFUND_WINDOW_DAYS * 86_400_000 }),
      (original, requests, elapsed) => {
        const accepted: bigint[] = [];
        for (const requested of requests) {
          const before = accepted.reduce((a, b) => a + b, 0n);
          const d = refundable({ original, refunded: accepted, settledAt, now: new Date(settledAt.getTime() + elapsed), requested });
          assert.equal(d.ok, requested > 0n && before + requested <= original);
          if (d.ok) {
            accepted.push(requested);
            assert.equal(d.remaining, original - before - requested);
          }
          assert.ok(accepted.reduce((a, b) => a + b, 0n) <= original);
        }
        assert.equal(refundableRemaining(original, accepted), original - accepted.reduce((a, b) => a + b, 0n));
      },
    ));
  });

  it('after the window nothing is accepted', () => {
    fc.assert(fc.property(fc.bigInt({ min: 1n, max: 10n ** 12n }), fc.integer({ min: 1, max: 10 ** 10 }), (original, pastMs) => {
      const d = refundable({ original, refunded: [], settledAt, now: new Date(refundDeadline(settledAt).getTime() + pastMs), requested: 1n });
      assert.equal(d.ok ? null : d.reason, 'REFUND_WINDOW_EXPIRED');
    }));
  });
});
