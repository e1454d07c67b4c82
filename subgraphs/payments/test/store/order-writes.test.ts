import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { createPaymentOrder, transition } from '../../src/domain/payment-order';
import { orderOf, type NewOrderRow } from '../../src/store/payment-order-store';
import { orderFields, orderStoreFixture } from './order-store-fixture';

// The order's writes are single statements (the row and its outbox event in one CTE): what they
// return is what Prisma reads back, a write that loses its version or id writes no event, and the
// events leave in the order the writes made them.
describe('payment order store: one-statement writes with their events (real PostgreSQL)', { timeout: 60_000 }, () => {
  const t = orderStoreFixture();

  // A payment with every optional column set (JSON nested, text beyond ASCII), so the mapping is checked whole.
  const fields = (over: Partial<NewOrderRow> = {}) =>
    orderFields({
      kind: 'PAYMENT',
      feeAmount: 7n,
      counterparty: { name: 'Maria', ispb: '60701190', nested: { a: [1, 'x'] } },
      counterpartyAccountId: randomUUID(),
      pixKey: 'a6d4****',
      description: 'rent — ação',
      railData: { quote: { rate: '5.1234' } },
      ...over,
    });
  const eventsOf = async (orderId: string) =>
    (await t.db.paymentEventOutbox.findMany({ orderBy: { seq: 'asc' } })).filter((e) => (JSON.parse(e.payload) as { orderId: string }).orderId === orderId);

  it('insert and apply return exactly the row Prisma reads; each writes its one event, in order', async () => {
    const f = fields();
    const created = createPaymentOrder({ id: f.id, rail: 'PIX', amount: 12_345n, currency: 'BRL', at: new Date() });
    const inserted = await t.store.insert(f, created, 30_000);
    assert.ok(inserted);
    assert.deepEqual(inserted, await t.store.findById(f.id));
    assert.ok(inserted.nextAttemptAt && inserted.nextAttemptAt > new Date(), 'leased to its creator');
    let row = inserted;
    for (const event of [{ type: 'APPROVE' }, { type: 'HOLD_PLACED' }, { type: 'SENT_TO_RAIL' }, { type: 'SETTLE' }] as const) {
      const next = await t.store.apply(row, transition(orderOf(row), event, new Date()), event.type === 'SETTLE' ? { nextAttemptAt: null, settledAt: new Date() } : { attempts: 2, railData: { step: event.type } });
      assert.ok(next, event.type);
      assert.deepEqual(next, await t.store.findById(f.id));
      assert.equal(next.version, row.version + 1);
      row = next;
    }
    assert.deepEqual([row.state, row.hold, row.nextAttemptAt, row.attempts, row.railData], ['SETTLED', 'POSTED', null, 2, { step: 'SENT_TO_RAIL' }]);
    const events = await eventsOf(f.id);
    assert.deepEqual(events.map((e) => e.subject), ['payments.order.created', 'payments.order.approved', 'payments.order.pending', 'payments.order.sent', 'payments.order.settled']);
    assert.equal((JSON.parse(events[0]!.payload) as { amount: string }).amount, '12345', 'money as a decimal string');
  });

  it('a stale version writes neither the row nor its event; a taken id inserts nothing and no event', async () => {
    const f = fields();
    const inserted = (await t.store.insert(f, createPaymentOrder({ id: f.id, rail: 'PIX', amount: 100n, currency: 'BRL', at: new Date() }), null))!;
    assert.equal(inserted.nextAttemptAt, null);
    assert.equal(await t.store.insert({ ...f, description: 'again' }, createPaymentOrder({ id: f.id, rail: 'PIX', amount: 999n, currency: 'BRL', at: new Date() }), null), null);
    const approved = await t.store.apply(inserted, transition(orderOf(inserted), { type: 'APPROVE' }, new Date()));
    assert.ok(approved);
    const stale = await t.store.apply(inserted, transition(orderOf(inserted), { type: 'DENY', reason: 'X' }, new Date()));
    assert.equal(stale, null);
    assert.equal((await t.store.findById(f.id))?.state, 'APPROVED');
    assert.deepEqual((await eventsOf(f.id)).map((e) => e.subject), ['payments.order.created', 'payments.order.approved']);
  });

  it('schedule, releaseWith and claim are versioned and return the row as read', async () => {
    const f = fields();
    const row = (await t.store.insert(f, createPaymentOrder({ id: f.id, rail: 'PIX', amount: 100n, currency: 'BRL', at: new Date() }), null))!;
    const at = new Date(Date.now() - 1000);
    const scheduled = await t.store.schedule(row, at, 3);
    assert.ok(scheduled);
    assert.deepEqual([scheduled.nextAttemptAt, scheduled.attempts, scheduled.version], [at, 3, row.version + 1]);
    assert.deepEqual(scheduled, await t.store.findById(f.id));
    assert.equal(await t.store.schedule(row, null), null, 'a stale version');
    const kept = (await t.store.schedule(scheduled, at))!;
    assert.equal(kept.attempts, 3, 'attempts kept when not given');
    const claimed = await t.store.claim(f.id, 60_000);
    assert.ok(claimed && claimed.nextAttemptAt! > new Date());
    assert.deepEqual(claimed, await t.store.findById(f.id));
    assert.equal(await t.store.claim(f.id, 60_000), null, 'leased: not due');
    const released = await t.store.releaseWith(claimed, { awaiting: null });
    assert.deepEqual(released?.railData, { awaiting: null });
    assert.deepEqual(released, await t.store.findById(f.id));
  });
});
