import { badInput, DomainError } from '@baas/errors';
import {
  allowedPaymentOrderEvents,
  isPaymentRail,
  paymentOrderEventType,
  paymentOrderTarget,
  RAIL_CURRENCIES,
  type PaymentOrderEvent,
  type PaymentOrderEventType,
  type PaymentOrderState,
  type PaymentRail,
} from './payment-order-states';

export * from './payment-order-states';

/**
 * A payment order and its one pure step, `transition(order, event, at)`: the next order and the
 * effects the caller (the payment saga) performs, in order, in the same unit as it persists the
 * order. Money effects come first, PUBLISH (an outbox event) last:
 *   HOLD_PLACED  APPROVED -> PENDING     PLACE_HOLD (the full amount)
 *   SETTLE       SENT (BOOK: PENDING)    POST_HOLD (the full amount)
 *   FAIL         PENDING | SENT          VOID_HOLD  (from APPROVED nothing was held: no effect)
 *   CANCEL       PENDING                 VOID_HOLD  (before the hold: no effect)
 *   RETURN       SETTLED | PARTIALLY_RETURNED   REVERSE (that return's amount)
 * Every move appends {from, to, event, at} to the history and yields PUBLISH
 * `payments.order.<to lower-case>`. Idempotent: an event applied again to the state it produced
 * (the last history entry is that event) changes nothing and yields no effects, so a retried step
 * never moves money twice; a RETURN is the same return when its `returnId` is (same amount: no-op,
 * another amount: IDEMPOTENCY_KEY_REUSED). A move the machine does not allow is CONFLICT with
 * details.reason INVALID_STATE_TRANSITION (and from, event, rail, allowed); nothing changes.
 */
export type HoldStatus = 'NONE' | 'PLACED' | 'POSTED' | 'VOIDED';

export interface PaymentOrderHistoryEntry {
  readonly from: PaymentOrderState;
  readonly to: PaymentOrderState;
  readonly event: PaymentOrderEventType;
  readonly at: Date;
}

export interface PaymentOrderReturn {
  readonly returnId: string;
  readonly amount: bigint;
  readonly reason: string;
  readonly at: Date;
}

export interface PaymentOrder {
  readonly id: string;
  readonly rail: PaymentRail;
  /** Minor units, 1 .. 2^63 - 1. */
  readonly amount: bigint;
  readonly currency: string;
  readonly state: PaymentOrderState;
  readonly hold: HoldStatus;
  readonly scheduledFor: Date | null;
  readonly denialReason: string | null;
  readonly failureReason: string | null;
  /** Sum of the returns, never above `amount`. */
  readonly returnedAmount: bigint;
  readonly returns: readonly PaymentOrderReturn[];
  readonly createdAt: Date;
  readonly history: readonly PaymentOrderHistoryEntry[];
}

export type PaymentOrderEffect =
  | { readonly type: 'PLACE_HOLD'; readonly amount: bigint; readonly currency: string }
  | { readonly type: 'VOID_HOLD' }
  | { readonly type: 'POST_HOLD'; readonly amount: bigint; readonly currency: string }
  | { readonly type: 'REVERSE'; readonly returnId: string; readonly amount: bigint; readonly currency: string }
  | { readonly type: 'PUBLISH'; readonly eventType: string; readonly orderId: string; readonly from: PaymentOrderState | null; readonly to: PaymentOrderState };

export interface PaymentOrderStep {
  readonly order: PaymentOrder;
  readonly effects: readonly PaymentOrderEffect[];
  /** False for an idempotent repeat (the order is returned as it was, no effects). */
  readonly changed: boolean;
}

/** The reason (details.reason of a CONFLICT) of a move the machine does not allow. */
export const INVALID_STATE_TRANSITION = 'INVALID_STATE_TRANSITION';
/** RELEASE before the order's scheduled time (CONFLICT). */
export const SCHEDULE_NOT_DUE = 'SCHEDULE_NOT_DUE';
/** A RETURN above what is left of the settled amount (CONFLICT, details.remaining). */
export const RETURN_EXCEEDS_REMAINING = 'RETURN_EXCEEDS_REMAINING';

const INT64_MAX = 2n ** 63n - 1n;
const MAX_REASON = 200;

export interface NewPaymentOrder {
  id: string;
  rail: PaymentRail;
  amount: bigint;
  currency: string;
  at: Date;
}

/** A new order in CREATED with an empty history, and its PUBLISH `payments.order.created`. */
export function createPaymentOrder(input: NewPaymentOrder): PaymentOrderStep {
  if (input.id.trim() === '') throw badInput('id must not be empty.', { field: 'id' });
  if (!isPaymentRail(input.rail)) throw badInput('rail is not a known rail.', { field: 'rail' });
  if (typeof input.amount !== 'bigint' || input.amount < 1n || input.amount > INT64_MAX) {
    throw badInput('amount must be 1 to 2^63 - 1 minor units.', { field: 'amount' });
  }
  if (!/^[A-Z]{3}$/.test(input.currency)) throw badInput('currency must be an ISO 4217 code.', { field: 'currency' });
  const currencies = RAIL_CURRENCIES[input.rail];
  if (currencies && !currencies.includes(input.currency)) {
    throw badInput(`${input.rail} moves ${currencies.join(', ')} only.`, { field: 'currency', reason: 'RAIL_CURRENCY', allowed: [...currencies] });
  }
  assertDate(input.at, 'at');
  const order: PaymentOrder = {
    id: input.id,
    rail: input.rail,
    amount: input.amount,
    currency: input.currency,
    state: 'CREATED',
    hold: 'NONE',
    scheduledFor: null,
    denialReason: null,
    failureReason: null,
    returnedAmount: 0n,
    returns: [],
    createdAt: input.at,
    history: [],
  };
  return { order, effects: [publish(order, null, 'CREATED')], changed: true };
}

/** The remaining amount a RETURN may still reverse (0 before settlement). */
export function returnableAmount(order: PaymentOrder): bigint {
  return order.hold === 'POSTED' ? order.amount - order.returnedAmount : 0n;
}

/** Applies `event` at `at`: the next order and its effects, an idempotent no-op, or a coded refusal. */
export function transition(order: PaymentOrder, event: PaymentOrderEvent, at: Date): PaymentOrderStep {
  assertDate(at, 'at');
  if (event.type === 'RETURN') {
    const earlier = order.returns.find((r) => r.returnId === event.returnId);
    if (earlier) {
      if (earlier.amount === event.amount) return unchanged(order);
      throw new DomainError('IDEMPOTENCY_KEY_REUSED', 'This return id was used before with another amount.', { field: 'returnId' });
    }
  } else if (isRepeat(order, event.type)) {
    return unchanged(order);
  }

  const target = paymentOrderTarget(order.rail, order.state, event.type);
  if (target === undefined) throw invalidTransition(order, event.type);
  const from = order.state;

  switch (event.type) {
    case 'SCHEDULE': {
      assertDate(event.at, 'scheduledFor');
      if (event.at.getTime() <= at.getTime()) throw badInput('A scheduled order must be for a later time.', { field: 'scheduledFor', reason: 'NOT_IN_FUTURE' });
      return moved({ ...order, scheduledFor: event.at }, from, target, event.type, at, []);
    }
    case 'RELEASE': {
      if (order.scheduledFor && at.getTime() < order.scheduledFor.getTime()) {
        throw new DomainError('CONFLICT', 'The order is not due yet.', { reason: SCHEDULE_NOT_DUE, scheduledFor: order.scheduledFor.toISOString() });
      }
      return moved(order, from, target, event.type, at, []);
    }
    case 'APPROVE':
    case 'SENT_TO_RAIL':
      return moved(order, from, target, event.type, at, []);
    case 'DENY':
      return moved({ ...order, denialReason: reason(event.reason) }, from, target, event.type, at, []);
    case 'HOLD_PLACED':
      return moved({ ...order, hold: 'PLACED' }, from, target, event.type, at, [{ type: 'PLACE_HOLD', amount: order.amount, currency: order.currency }]);
    case 'SETTLE':
      return moved({ ...order, hold: 'POSTED' }, from, target, event.type, at, [{ type: 'POST_HOLD', amount: order.amount, currency: order.currency }]);
    case 'FAIL':
    case 'CANCEL': {
      const failureReason = event.type === 'FAIL' ? reason(event.reason) : order.failureReason;
      if (order.hold !== 'PLACED') return moved({ ...order, failureReason }, from, target, event.type, at, []);
      return moved({ ...order, failureReason, hold: 'VOIDED' }, from, target, event.type, at, [{ type: 'VOID_HOLD' }]);
    }
    case 'RETURN': {
      if (typeof event.amount !== 'bigint' || event.amount < 1n) throw badInput('A return amount must be at least 1 minor unit.', { field: 'amount' });
      if (event.returnId.trim() === '') throw badInput('returnId must not be empty.', { field: 'returnId' });
      const remaining = returnableAmount(order);
      if (event.amount > remaining) {
        throw new DomainError('CONFLICT', 'The returns would exceed the settled amount.', { reason: RETURN_EXCEEDS_REMAINING, remaining: remaining.toString() });
      }
      const returnedAmount = order.returnedAmount + event.amount;
      const to: PaymentOrderState = returnedAmount === order.amount ? 'RETURNED' : 'PARTIALLY_RETURNED';
      const entry: PaymentOrderReturn = { returnId: event.returnId, amount: event.amount, reason: reason(event.reason), at };
      const next = { ...order, returnedAmount, returns: [...order.returns, entry] };
      return moved(next, from, to, event.type, at, [{ type: 'REVERSE', returnId: event.returnId, amount: event.amount, currency: order.currency }]);
    }
  }
}

/** Applies events in order (each at its own time), collecting the effects: for replays and tests. */
export function applyPaymentOrderEvents(order: PaymentOrder, events: ReadonlyArray<{ event: PaymentOrderEvent; at: Date }>): PaymentOrderStep {
  let current = order;
  const effects: PaymentOrderEffect[] = [];
  let changed = false;
  for (const { event, at } of events) {
    const step = transition(current, event, at);
    current = step.order;
    effects.push(...step.effects);
    changed ||= step.changed;
  }
  return { order: current, effects, changed };
}

function isRepeat(order: PaymentOrder, event: PaymentOrderEventType): boolean {
  const last = order.history[order.history.length - 1];
  return last !== undefined && last.event === event && last.to === order.state;
}

function unchanged(order: PaymentOrder): PaymentOrderStep {
  return { order, effects: [], changed: false };
}

function moved(
  order: PaymentOrder,
  from: PaymentOrderState,
  to: PaymentOrderState,
  event: PaymentOrderEventType,
  at: Date,
  money: PaymentOrderEffect[],
): PaymentOrderStep {
  const next: PaymentOrder = { ...order, state: to, history: [...order.history, { from, to, event, at }] };
  return { order: next, effects: [...money, publish(next, from, to)], changed: true };
}

function publish(order: PaymentOrder, from: PaymentOrderState | null, to: PaymentOrderState): PaymentOrderEffect {
  return { type: 'PUBLISH', eventType: paymentOrderEventType(to), orderId: order.id, from, to };
}

function invalidTransition(order: PaymentOrder, event: PaymentOrderEventType): DomainError {
  return new DomainError('CONFLICT', `A ${order.rail} payment order in ${order.state} does not accept ${event}.`, {
    reason: INVALID_STATE_TRANSITION,
    from: order.state,
    event,
    rail: order.rail,
    allowed: allowedPaymentOrderEvents(order.rail, order.state),
  });
}

function reason(value: string): string {
  const trimmed = typeof value === 'string' ? value.trim() : '';
  if (trimmed === '' || trimmed.length > MAX_REASON) throw badInput(`reason must be 1 to ${MAX_REASON} characters.`, { field: 'reason' });
  return trimmed;
}

function assertDate(value: Date, field: string): void {
  if (!(value instanceof Date) || Number.isNaN(value.getTime())) throw badInput(`${field} must be a valid time.`, { field });
}
