import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { DomainError } from '@baas/errors';
import {
  applyPaymentOrderEvents,
  createPaymentOrder,
  PAYMENT_ORDER_EVENT_TYPES,
  PAYMENT_RAILS,
  transition,
  type PaymentOrder,
  type PaymentOrderEvent,
  type PaymentOrderEventType,
  type PaymentOrderState,
  type PaymentRail,
} from '../../src/domain/payment-order';

const T0 = new Date('2026-03-02T12:00:00.000Z');
const later = (minutes: number) => new Date(T0.getTime() + minutes * 60_000);
const AMOUNT = 10_000n;
const currencyOf = (rail: PaymentRail) => (rail === 'WIRE' ? 'USD' : 'BRL');

const sample: { [K in PaymentOrderEventType]: Extract<PaymentOrderEvent, { type: K }> } = {
  SCHEDULE: { type: 'SCHEDULE', at: later(24 * 60) },
  RELEASE: { type: 'RELEASE' },
  APPROVE: { type: 'APPROVE' },
  DENY: { type: 'DENY', reason: 'LIMIT_EXCEEDED' },
  HOLD_PLACED: { type: 'HOLD_PLACED' },
  SENT_TO_RAIL: { type: 'SENT_TO_RAIL' },
  SETTLE: { type: 'SETTLE' },
  FAIL: { type: 'FAIL', reason: 'COUNTERPARTY_REJECTED' },
  RETURN: { type: 'RETURN', returnId: 'r-partial', amount: 1_000n, reason: 'MED' },
  CANCEL: { type: 'CANCEL' },
};

function created(rail: PaymentRail): PaymentOrder {
  return createPaymentOrder({ id: `order-${rail}`, rail, amount: AMOUNT, currency: currencyOf(rail), at: T0 }).order;
}

/** The events that bring a `rail` order to `state` (undefined: the rail never gets there). */
function pathTo(rail: PaymentRail, state: PaymentOrderState): PaymentOrderEventType[] | undefined {
  const settled: PaymentOrderEventType[] = rail === 'BOOK' ? ['APPROVE', 'HOLD_PLACED', 'SETTLE'] : ['APPROVE', 'HOLD_PLACED', 'SENT_TO_RAIL', 'SETTLE'];
  const paths: Record<PaymentOrderState, PaymentOrderEventType[] | undefined> = {
    CREATED: [],
    SCHEDULED: ['SCHEDULE'],
    APPROVED: ['APPROVE'],
    DENIED: ['DENY'],
    PENDING: ['APPROVE', 'HOLD_PLACED'],
    SENT: rail === 'BOOK' ? undefined : ['APPROVE', 'HOLD_PLACED', 'SENT_TO_RAIL'],
    SETTLED: settled,
    PARTIALLY_RETURNED: rail === 'BOLETO' ? undefined : [...settled, 'RETURN'],
    RETURNED: undefined, // reached with a full return: see below
    FAILED: ['APPROVE', 'HOLD_PLACED', 'FAIL'],
    CANCELLED: ['CANCEL'],
  };
  return paths[state];
}

function reach(rail: PaymentRail, state: PaymentOrderState): PaymentOrder | undefined {
  if (state === 'RETURNED') {
    if (rail === 'BOLETO') return undefined;
    const settled = reach(rail, 'SETTLED')!;
    return transition(settled, { type: 'RETURN', returnId: 'r-full', amount: AMOUNT, reason: 'FRAUD' }, later(60)).order;
  }
  const path = pathTo(rail, state);
  if (!path) return undefined;
  const events = path.map((type, i) => ({ event: sample[type], at: later(i + 1) }));
  // RELEASE needs the scheduled time reached; SCHEDULE needs a future time: neither is on a path.
  return applyPaymentOrderEvents(created(rail), events).order;
}

type Row = [rails: readonly PaymentRail[] | 'ALL', from: PaymentOrderState, event: PaymentOrderEventType, to: PaymentOrderState, money: string[]];
const EXTERNAL: PaymentRail[] = ['PIX', 'TED', 'BOLETO', 'WIRE'];
const RETURNABLE: PaymentRail[] = ['PIX', 'TED', 'WIRE', 'BOOK'];

// Every allowed move, written out independently of the module's table.
const ALLOWED: Row[] = [
  ['ALL', 'CREATED', 'SCHEDULE', 'SCHEDULED', []],
  ['ALL', 'CREATED', 'APPROVE', 'APPROVED', []],
  ['ALL', 'CREATED', 'DENY', 'DENIED', []],
  ['ALL', 'CREATED', 'CANCEL', 'CANCELLED', []],
  ['ALL', 'SCHEDULED', 'CANCEL', 'CANCELLED', []],
  ['ALL', 'APPROVED', 'HOLD_PLACED', 'PENDING', ['PLACE_HOLD']],
  ['ALL', 'APPROVED', 'FAIL', 'FAILED', []],
  ['ALL', 'APPROVED', 'CANCEL', 'CANCELLED', []],
  [EXTERNAL, 'PENDING', 'SENT_TO_RAIL', 'SENT', []],
  [['BOOK'], 'PENDING', 'SETTLE', 'SETTLED', ['POST_HOLD']],
  ['ALL', 'PENDING', 'FAIL', 'FAILED', ['VOID_HOLD']],
  ['ALL', 'PENDING', 'CANCEL', 'CANCELLED', ['VOID_HOLD']],
  [EXTERNAL, 'SENT', 'SETTLE', 'SETTLED', ['POST_HOLD']],
  [EXTERNAL, 'SENT', 'FAIL', 'FAILED', ['VOID_HOLD']],
  [RETURNABLE, 'SETTLED', 'RETURN', 'PARTIALLY_RETURNED', ['REVERSE']],
  [RETURNABLE, 'PARTIALLY_RETURNED', 'RETURN', 'PARTIALLY_RETURNED', ['REVERSE']],
];

const rowsFor = (rail: PaymentRail) => ALLOWED.filter(([rails]) => rails === 'ALL' || rails.includes(rail));
const isConflict = (reason: string) => (error: unknown) =>
  error instanceof DomainError && error.code === 'CONFLICT' && error.details?.reason === reason;

describe('payment order: every allowed move', () => {
  for (const rail of PAYMENT_RAILS) {
    for (const [, from, event, to, money] of rowsFor(rail)) {
      it(`${rail}: ${from} --${event}--> ${to}`, () => {
        const order = reach(rail, from)!;
        assert.equal(order.state, from);
        const event_: PaymentOrderEvent = event === 'RETURN' ? { ...sample.RETURN, returnId: 'r-new' } : sample[event];
        const step = transition(order, event_, later(90));
        assert.equal(step.changed, true);
        assert.equal(step.order.state, to);
        assert.deepEqual(step.effects.map((e) => e.type), [...money, 'PUBLISH']);
        assert.deepEqual(step.effects.at(-1), { type: 'PUBLISH', eventType: `payments.order.${to.toLowerCase()}`, orderId: order.id, from, to });
        assert.deepEqual(step.order.history.at(-1), { from, to, event, at: later(90) });
        assert.equal(step.order.history.length, order.history.length + 1);
      });
    }
  }
});

describe('payment order: every other move is refused', () => {
  for (const rail of PAYMENT_RAILS) {
    it(`${rail}: CONFLICT INVALID_STATE_TRANSITION, nothing changes`, () => {
      const states = ['CREATED', 'SCHEDULED', 'APPROVED', 'DENIED', 'PENDING', 'SENT', 'SETTLED', 'PARTIALLY_RETURNED', 'RETURNED', 'FAILED', 'CANCELLED'] as const;
      let refused = 0;
      for (const from of states) {
        const order = reach(rail, from);
        if (!order) continue;
        for (const event of PAYMENT_ORDER_EVENT_TYPES) {
          const allowed = rowsFor(rail).some(([, f, e]) => f === from && e === event);
          const repeat = order.history.at(-1)?.event === event && event !== 'RETURN';
          if (event === 'RELEASE' && from === 'SCHEDULED') continue; // below: needs the time reached
          if (allowed || repeat) continue;
          const snapshot: PaymentOrder = structuredClone(order);
          assert.throws(() => transition(order, sample[event], later(90)), isConflict('INVALID_STATE_TRANSITION'), `${from} ${event}`);
          assert.deepEqual(order, snapshot);
          refused += 1;
        }
      }
      assert.ok(refused > 40);
    });
  }

  it('names the state, event, rail and the events allowed', () => {
    const order = reach('BOLETO', 'SETTLED')!;
    assert.throws(() => transition(order, sample.RETURN, later(90)), (error: unknown) => {
      assert.ok(error instanceof DomainError);
      assert.deepEqual(error.details, { reason: 'INVALID_STATE_TRANSITION', from: 'SETTLED', event: 'RETURN', rail: 'BOLETO', allowed: [] });
      return true;
    });
    assert.deepEqual(
      (() => {
        try {
          transition(reach('PIX', 'SENT')!, sample.CANCEL, later(90));
        } catch (error) {
          return (error as DomainError).details?.allowed;
        }
      })(),
      ['SETTLE', 'FAIL'],
    );
  });
});

describe('payment order: scheduling', () => {
  it('SCHEDULE keeps the time; RELEASE at or after it goes back to CREATED for the policy path', () => {
    const scheduled = transition(created('TED'), { type: 'SCHEDULE', at: later(600) }, T0).order;
    assert.deepEqual(scheduled.scheduledFor, later(600));
    assert.throws(() => transition(scheduled, { type: 'RELEASE' }, later(599)), isConflict('SCHEDULE_NOT_DUE'));
    const released = transition(scheduled, { type: 'RELEASE' }, later(600));
    assert.equal(released.order.state, 'CREATED');
    assert.deepEqual(released.effects, [{ type: 'PUBLISH', eventType: 'payments.order.created', orderId: 'order-TED', from: 'SCHEDULED', to: 'CREATED' }]);
    assert.equal(transition(released.order, { type: 'RELEASE' }, later(601)).changed, false);
    assert.equal(transition(released.order, sample.APPROVE, later(601)).order.state, 'APPROVED');
  });

  it('refuses a time that is not in the future (BAD_USER_INPUT)', () => {
    for (const at of [T0, later(-1), new Date(Number.NaN)]) {
      assert.throws(() => transition(created('PIX'), { type: 'SCHEDULE', at }, T0), (e: unknown) => e instanceof DomainError && e.code === 'BAD_USER_INPUT');
    }
  });
});

describe('payment order: idempotency', () => {
  it('the same event twice on the state it produced is a no-op without effects', () => {
    for (const rail of PAYMENT_RAILS) {
      for (const [, from, event] of rowsFor(rail)) {
        const order = reach(rail, from)!;
        const event_: PaymentOrderEvent = event === 'RETURN' ? { ...sample.RETURN, returnId: 'r-again' } : sample[event];
        const once = transition(order, event_, later(90));
        const twice = transition(once.order, event_, later(91));
        assert.equal(twice.changed, false, `${rail} ${from} ${event}`);
        assert.deepEqual(twice.effects, []);
        assert.equal(twice.order, once.order);
      }
    }
  });

  it('a RETURN id used again with another amount is IDEMPOTENCY_KEY_REUSED', () => {
    const partial = transition(reach('PIX', 'SETTLED')!, sample.RETURN, later(90)).order;
    assert.throws(() => transition(partial, { ...sample.RETURN, amount: 2n }, later(91)), (e: unknown) => e instanceof DomainError && e.code === 'IDEMPOTENCY_KEY_REUSED');
  });
});

describe('payment order: returns', () => {
  it('partial returns add up; the one reaching the settled amount makes the order RETURNED (terminal)', () => {
    let order = reach('PIX', 'SETTLED')!;
    order = transition(order, { type: 'RETURN', returnId: 'a', amount: 4_000n, reason: 'DEVOLUCAO' }, later(90)).order;
    assert.equal(order.state, 'PARTIALLY_RETURNED');
    assert.throws(() => transition(order, { type: 'RETURN', returnId: 'b', amount: 6_001n, reason: 'DEVOLUCAO' }, later(91)), (e: unknown) =>
      isConflict('RETURN_EXCEEDS_REMAINING')(e) && (e as DomainError).details?.remaining === '6000');
    const last = transition(order, { type: 'RETURN', returnId: 'b', amount: 6_000n, reason: 'DEVOLUCAO' }, later(92));
    assert.equal(last.order.state, 'RETURNED');
    assert.equal(last.order.returnedAmount, AMOUNT);
    assert.deepEqual(last.effects.map((e) => e.type), ['REVERSE', 'PUBLISH']);
    assert.throws(() => transition(last.order, { type: 'RETURN', returnId: 'c', amount: 1n, reason: 'x' }, later(93)), isConflict('INVALID_STATE_TRANSITION'));
    assert.equal(transition(last.order, { type: 'RETURN', returnId: 'a', amount: 4_000n, reason: 'DEVOLUCAO' }, later(94)).changed, false);
  });

  it('refuses a return amount under 1 minor unit', () => {
    assert.throws(() => transition(reach('WIRE', 'SETTLED')!, { ...sample.RETURN, amount: 0n }, later(90)), (e: unknown) => e instanceof DomainError && e.code === 'BAD_USER_INPUT');
  });
});

describe('payment order: creation', () => {
  it('starts CREATED with an empty history and publishes payments.order.created', () => {
    const step = createPaymentOrder({ id: 'o1', rail: 'PIX', amount: 1n, currency: 'BRL', at: T0 });
    assert.equal(step.order.state, 'CREATED');
    assert.equal(step.order.hold, 'NONE');
    assert.deepEqual(step.order.history, []);
    assert.deepEqual(step.effects, [{ type: 'PUBLISH', eventType: 'payments.order.created', orderId: 'o1', from: null, to: 'CREATED' }]);
  });

  it('refuses bad input with BAD_USER_INPUT and its field', () => {
    const bad: Array<[Parameters<typeof createPaymentOrder>[0], string]> = [
      [{ id: 'o', rail: 'PIX', amount: 0n, currency: 'BRL', at: T0 }, 'amount'],
      [{ id: 'o', rail: 'PIX', amount: 2n ** 63n, currency: 'BRL', at: T0 }, 'amount'],
      [{ id: 'o', rail: 'PIX', amount: 1n, currency: 'USD', at: T0 }, 'currency'],
      [{ id: 'o', rail: 'TED', amount: 1n, currency: 'brl', at: T0 }, 'currency'],
      [{ id: 'o', rail: 'SWIFT' as PaymentRail, amount: 1n, currency: 'BRL', at: T0 }, 'rail'],
      [{ id: ' ', rail: 'PIX', amount: 1n, currency: 'BRL', at: T0 }, 'id'],
    ];
    for (const [input, field] of bad) {
      assert.throws(() => createPaymentOrder(input), (e: unknown) => e instanceof DomainError && e.code === 'BAD_USER_INPUT' && e.details?.field === field, field);
    }
    assert.equal(createPaymentOrder({ id: 'o', rail: 'WIRE', amount: 1n, currency: 'EUR', at: T0 }).order.currency, 'EUR');
  });

  it('records the denial and failure reasons', () => {
    const denied = transition(created('PIX'), { type: 'DENY', reason: 'RISK_DECLINED' }, later(1)).order;
    assert.equal(denied.denialReason, 'RISK_DECLINED');
    const failed = transition(reach('TED', 'SENT')!, { type: 'FAIL', reason: 'STR_TIMEOUT' }, later(90)).order;
    assert.equal(failed.failureReason, 'STR_TIMEOUT');
    assert.equal(failed.hold, 'VOIDED');
    assert.equal(reach('PIX', 'PENDING') && transition(reach('PIX', 'PENDING')!, sample.CANCEL, later(90)).order.hold, 'VOIDED');
  });
});
