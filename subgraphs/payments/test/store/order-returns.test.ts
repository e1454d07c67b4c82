import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { isDomainError } from '@baas/errors';
import { createPaymentOrder } from '../../src/domain/payment-order';
import type { NewOrderRow } from '../../src/store/payment-order-store';
import { orderFields, orderStoreFixture } from './order-store-fixture';

// Refunds and MED returns of one payment are serialised on the original's row: whatever their
// timing, the live returns never sum above it (REFUND_EXCEEDS_ORIGINAL), and a replayed insert of
// the same return is not counted against itself.
describe('payment order store: returns of one order', { timeout: 60_000 }, () => {
  const t = orderStoreFixture();

  const fields = orderFields;
  const insert = (f: NewOrderRow & { id: string }, amount: bigint) => t.store.insert(f, createPaymentOrder({ id: f.id, rail: 'PIX', amount, currency: 'BRL', at: new Date() }), null);

  it('concurrent refunds of one payment never sum above it; a replay does not count against itself', async () => {
    const original = fields({ direction: 'IN', kind: 'PAYMENT' });
    await insert(original, 1_000n);
    const attempts = Array.from({ length: 8 }, () => fields({ returnOfId: original.id }));
    const results = await Promise.allSettled(attempts.map((f) => insert(f, 300n)));
    const ok = results.filter((r) => r.status === 'fulfilled');
    const refused = results.filter((r) => r.status === 'rejected');
    assert.equal(ok.length, 3);
    for (const r of refused) {
      const error = (r as PromiseRejectedResult).reason;
      assert.ok(isDomainError(error) && error.code === 'BAD_USER_INPUT' && error.details?.reason === 'REFUND_EXCEEDS_ORIGINAL', String(error));
    }
    const stored = await t.store.findReturnsOf(original.id);
    assert.equal(stored.reduce((s, r) => s + r.amount, 0n), 900n);
    // The same return inserted again: not refused, nothing new written.
    const first = attempts[results.findIndex((r) => r.status === 'fulfilled')]!;
    assert.equal(await insert(first, 300n), null);
    assert.equal((await t.store.findReturnsOf(original.id)).length, 3);
    // A failed return gives its amount back to what may still be returned.
    await t.db.paymentOrder.update({ where: { id: stored[0]!.id }, data: { state: 'FAILED' } });
    assert.ok(await insert(fields({ returnOfId: original.id }), 400n));
  });
});
