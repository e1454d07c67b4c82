import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { DomainError } from '@baas/errors';
import {
  createPaymentOrder,
  isPaymentOrderState,
  isTerminalPaymentOrderState,
  paymentOrderTarget,
  PAYMENT_RAILS,
  transition,
  type PaymentOrder,
  type PaymentOrderEffect,
  type PaymentOrderEvent,
} from '../../src/domain/payment-order';

const T0 = Date.parse('2026-03-02T12:00:00.000Z');
const MINUTE = 60_000;

const eventArb: fc.Arbitrary<PaymentOrderEvent> = fc.oneof(
  fc.integer({ min: -5, max: 120 }).map((m): PaymentOrderEvent => ({ type: 'SCHEDULE', at: new Date(T0 + m * MINUTE) })),
  fc.constant<PaymentOrderEvent>({ type: 'RELEASE' }),
  fc.constant<PaymentOrderEvent>({ type: 'APPROVE' }),
  fc.constantFrom('STEP_UP_REQUIRED', 'LIMIT_EXCEEDED', 'RISK_DECLINED').map((reason): PaymentOrderEvent => ({ type: 'DENY', reason })),
  fc.constant<PaymentOrderEvent>({ type: 'HOLD_PLACED' }),
  fc.constant<PaymentOrderEvent>({ type: 'SENT_TO_RAIL' }),
  fc.constant<PaymentOrderEvent>({ type: 'SETTLE' }),
  fc.constantFrom('TIMEOUT', 'REJECTED').map((reason): PaymentOrderEvent => ({ type: 'FAIL', reason })),
  fc
    .record({ id: fc.constantFrom('r1', 'r2', 'r3', 'r4'), amount: fc.bigInt({ min: 0n, max: 1_200n }) })
    .map(({ id, amount }): PaymentOrderEvent => ({ type: 'RETURN', returnId: id, amount, reason: 'DEVOLUCAO' })),
  fc.constant<PaymentOrderEvent>({ type: 'CANCEL' }),
);

// Steps: an event and a clock advance (minutes); the clock never goes back.
const runArb = fc.record({
  rail: fc.constantFrom(...PAYMENT_RAILS),
  amount: fc.bigInt({ min: 1n, max: 1_000n }),
  // Half the runs start on the happy path to settlement, so returns after it get exercised too.
  settledFirst: fc.boolean(),
  steps: fc.array(fc.tuple(eventArb, fc.integer({ min: 0, max: 30 })), { maxLength: 40 }),
});

const HAPPY_PATH: Array<[PaymentOrderEvent, number]> = [
  [{ type: 'APPROVE' }, 1],
  [{ type: 'HOLD_PLACED' }, 1],
  [{ type: 'SENT_TO_RAIL' }, 1], // refused for BOOK, which settles from PENDING
  [{ type: 'SETTLE' }, 1],
];

const EXPECTED_REFUSALS = new Set(['CONFLICT', 'BAD_USER_INPUT', 'IDEMPOTENCY_KEY_REUSED']);

interface Outcome {
  before: PaymentOrder;
  event: PaymentOrderEvent;
  after: PaymentOrder;
  changed: boolean;
  effects: readonly PaymentOrderEffect[];
  refused: boolean;
}

type RunInput = typeof runArb extends fc.Arbitrary<infer T> ? T : never;

function run({ rail, amount, settledFirst, steps: random }: RunInput) {
  const steps = settledFirst ? [...HAPPY_PATH, ...random] : random;
  const currency = rail === 'WIRE' ? 'USD' : 'BRL';
  let order = createPaymentOrder({ id: 'o', rail, amount, currency, at: new Date(T0) }).order;
  let now = T0;
  const outcomes: Outcome[] = [];
  for (const [event, advance] of steps) {
    now += advance * MINUTE;
    const before = order;
    try {
      const step = transition(order, event, new Date(now));
      order = step.order;
      outcomes.push({ before, event, after: order, changed: step.changed, effects: step.effects, refused: false });
    } catch (error) {
      assert.ok(error instanceof DomainError && EXPECTED_REFUSALS.has(error.code), String(error));
      outcomes.push({ before, event, after: order, changed: false, effects: [], refused: true });
    }
  }
  return { order, outcomes };
}

describe('payment order properties (fast-check)', () => {
  it('random event sequences only reach valid states along allowed moves, with a consistent history', () => {
    fc.assert(
      fc.property(runArb, (input) => {
        const { order, outcomes } = run(input);
        assert.ok(isPaymentOrderState(order.state));
        let previous = 'CREATED';
        for (const entry of order.history) {
          assert.equal(entry.from, previous);
          const target = paymentOrderTarget(order.rail, entry.from, entry.event);
          if (entry.event === 'RETURN') assert.ok(entry.to === 'RETURNED' || entry.to === 'PARTIALLY_RETURNED');
          else assert.equal(entry.to, target);
          assert.ok(target !== undefined);
          previous = entry.to;
        }
        assert.equal(order.state, previous);
        assert.equal(order.history.length, outcomes.filter((o) => o.changed).length);
        for (let i = 1; i < order.history.length; i++) assert.ok(order.history[i]!.at.getTime() >= order.history[i - 1]!.at.getTime());
        if (order.rail === 'BOLETO') assert.ok(order.returns.length === 0);
        if (order.rail === 'BOOK') assert.ok(order.history.every((h) => h.to !== 'SENT'));
      }),
      { numRuns: 500 },
    );
  });

  it('money effects are balanced: one hold at most, posted or voided at most once, returns within the posted amount', () => {
    fc.assert(
      fc.property(runArb, (input) => {
        const { order, outcomes } = run(input);
        const effects = outcomes.flatMap((o) => o.effects);
        const count = (type: PaymentOrderEffect['type']) => effects.filter((e) => e.type === type).length;
        assert.ok(count('PLACE_HOLD') <= 1);
        assert.ok(count('POST_HOLD') + count('VOID_HOLD') <= 1);
        assert.ok(count('POST_HOLD') + count('VOID_HOLD') <= count('PLACE_HOLD'));
        let posted: bigint | null = null;
        let reversed = 0n;
        for (const effect of effects) {
          if (effect.type === 'PLACE_HOLD') assert.equal(effect.amount, order.amount);
          if (effect.type === 'POST_HOLD') posted = effect.amount;
          if (effect.type === 'REVERSE') {
            assert.ok(posted !== null, 'REVERSE before POST_HOLD');
            reversed += effect.amount;
            assert.ok(effect.amount > 0n && reversed <= posted);
          }
        }
        assert.equal(reversed, order.returnedAmount);
        assert.equal(new Set(order.returns.map((r) => r.returnId)).size, order.returns.length);
        const expectedHold = count('POST_HOLD') ? 'POSTED' : count('VOID_HOLD') ? 'VOIDED' : count('PLACE_HOLD') ? 'PLACED' : 'NONE';
        assert.equal(order.hold, expectedHold);
        if (order.state === 'RETURNED') assert.equal(order.returnedAmount, order.amount);
        if (order.state === 'PARTIALLY_RETURNED') assert.ok(order.returnedAmount > 0n && order.returnedAmount < order.amount);
        // A final state leaves no hold open.
        if (['DENIED', 'FAILED', 'CANCELLED', 'SETTLED', 'RETURNED', 'PARTIALLY_RETURNED'].includes(order.state)) assert.notEqual(order.hold, 'PLACED');
      }),
      { numRuns: 500 },
    );
  });

  it('every change publishes exactly one payments.order.<state> event; refusals and repeats change nothing', () => {
    fc.assert(
      fc.property(runArb, (input) => {
        for (const o of run(input).outcomes) {
          const published = o.effects.filter((e) => e.type === 'PUBLISH');
          if (o.changed) {
            assert.deepEqual(published, [{ type: 'PUBLISH', eventType: `payments.order.${o.after.state.toLowerCase()}`, orderId: 'o', from: o.before.state, to: o.after.state }]);
            assert.equal(o.effects.at(-1)?.type, 'PUBLISH');
          } else {
            assert.deepEqual(o.effects, []);
            assert.equal(o.after, o.before);
          }
        }
      }),
      { numRuns: 500 },
    );
  });

  it('terminal states accept nothing but the repeat of the event that produced them', () => {
    fc.assert(
      fc.property(runArb, eventArb, (input, extra) => {
        const { order } = run(input);
        if (!isTerminalPaymentOrderState(order.state)) return;
        const last = order.history.at(-1)!;
        let step;
        try {
          step = transition(order, extra, new Date(T0 + 10_000 * MINUTE));
        } catch (error) {
          assert.ok(error instanceof DomainError && EXPECTED_REFUSALS.has(error.code));
          return;
        }
        assert.equal(step.changed, false);
        assert.deepEqual(step.effects, []);
        if (extra.type === 'RETURN') assert.ok(order.returns.some((r) => r.returnId === extra.returnId && r.amount === extra.amount));
        else assert.equal(extra.type, last.event);
      }),
      { numRuns: 1000 },
    );
  });

  it('the generator reaches every state (so the properties above are not vacuous)', () => {
    const reached = new Set<string>();
    for (const input of fc.sample(runArb, { numRuns: 3000, seed: 13 })) for (const o of run(input).outcomes) reached.add(o.after.state);
    assert.deepEqual([...reached].sort(), ['APPROVED', 'CANCELLED', 'CREATED', 'DENIED', 'FAILED', 'PARTIALLY_RETURNED', 'PENDING', 'RETURNED', 'SCHEDULED', 'SENT', 'SETTLED']);
  });

  it('an accepted event applied again at once is a no-op (a retried step never moves money twice)', () => {
    fc.assert(
      fc.property(runArb, (input) => {
        for (const o of run(input).outcomes.filter((x) => x.changed)) {
          const again = transition(o.after, o.event, new Date(T0 + 10_000 * MINUTE));
          assert.equal(again.changed, false);
          assert.deepEqual(again.effects, []);
        }
      }),
      { numRuns: 300 },
    );
  });
});
