/**
 * The states, events and rails of a payment order (pure): one state machine for every rail.
 *
 *   CREATED ──APPROVE──> APPROVED ──HOLD_PLACED──> PENDING ──SENT_TO_RAIL──> SENT ──SETTLE──> SETTLED
 *     │ │                   │                        │ │                      │                 │
 *     │ └─DENY──> DENIED    └─FAIL──> FAILED <──FAIL─┘ └─(BOOK: SETTLE)       └─FAIL──> FAILED  RETURN
 *     └─SCHEDULE──> SCHEDULED ──RELEASE──> CREATED                                              │
 *   CANCEL from CREATED, SCHEDULED, APPROVED, PENDING ──> CANCELLED       PARTIALLY_RETURNED <──┤
 *                                                                     RETURNED (fully) <───────┘
 *
 * Terminal states accept nothing but the idempotent repeat of the event that produced them:
 * DENIED, FAILED, RETURNED, CANCELLED. SETTLED and PARTIALLY_RETURNED are final outcomes (the order
 * is done, the money moved) that still accept RETURN (PIX devolução / MED, TED and wire returns).
 * Rails: BOOK (an internal transfer) settles from PENDING without going to a rail (never SENT);
 * BOLETO cannot be returned (a boleto paid by mistake is refunded by a new payment). PIX, TED and
 * BOLETO move BRL only.
 */
export const PAYMENT_ORDER_STATES = [
  'CREATED',
  'SCHEDULED',
  'APPROVED',
  'DENIED',
  'PENDING',
  'SENT',
  'SETTLED',
  'PARTIALLY_RETURNED',
  'RETURNED',
  'FAILED',
  'CANCELLED',
] as const;
export type PaymentOrderState = (typeof PAYMENT_ORDER_STATES)[number];

export const PAYMENT_RAILS = ['PIX', 'TED', 'BOLETO', 'WIRE', 'BOOK'] as const;
export type PaymentRail = (typeof PAYMENT_RAILS)[number];

export const PAYMENT_ORDER_EVENT_TYPES = [
  'SCHEDULE',
  'RELEASE',
  'APPROVE',
  'DENY',
  'HOLD_PLACED',
  'SENT_TO_RAIL',
  'SETTLE',
  'FAIL',
  'RETURN',
  'CANCEL',
] as const;
export type PaymentOrderEventType = (typeof PAYMENT_ORDER_EVENT_TYPES)[number];

/** Why the policy path denied an order (the codes docs/errors.md uses for the same refusals). */
export type DenialReason = 'STEP_UP_REQUIRED' | 'LIMIT_EXCEEDED' | 'RISK_DECLINED' | 'INSUFFICIENT_FUNDS' | 'ACCOUNT_FROZEN' | 'ACCOUNT_CLOSED' | (string & {});

export type PaymentOrderEvent =
  | { type: 'SCHEDULE'; at: Date }
  | { type: 'RELEASE' }
  | { type: 'APPROVE' }
  | { type: 'DENY'; reason: DenialReason }
  | { type: 'HOLD_PLACED' }
  | { type: 'SENT_TO_RAIL' }
  | { type: 'SETTLE' }
  | { type: 'FAIL'; reason: string }
  | { type: 'RETURN'; returnId: string; amount: bigint; reason: string }
  | { type: 'CANCEL' };

/** Where each event goes from each state (before the rail's own rules and RETURN's amounts). */
export const PAYMENT_ORDER_TRANSITIONS: Readonly<Record<PaymentOrderEventType, Readonly<Partial<Record<PaymentOrderState, PaymentOrderState>>>>> = {
  SCHEDULE: { CREATED: 'SCHEDULED' },
  RELEASE: { SCHEDULED: 'CREATED' },
  APPROVE: { CREATED: 'APPROVED' },
  DENY: { CREATED: 'DENIED' },
  HOLD_PLACED: { APPROVED: 'PENDING' },
  SENT_TO_RAIL: { PENDING: 'SENT' },
  SETTLE: { SENT: 'SETTLED', PENDING: 'SETTLED' },
  FAIL: { APPROVED: 'FAILED', PENDING: 'FAILED', SENT: 'FAILED' },
  // RETURN goes to RETURNED when the returns reach the settled amount, else PARTIALLY_RETURNED.
  RETURN: { SETTLED: 'RETURNED', PARTIALLY_RETURNED: 'RETURNED' },
  CANCEL: { CREATED: 'CANCELLED', SCHEDULED: 'CANCELLED', APPROVED: 'CANCELLED', PENDING: 'CANCELLED' },
};

/** Moves a rail does not take, by event and source state. */
const RAIL_EXCLUDED: Readonly<Record<PaymentRail, ReadonlyArray<readonly [PaymentOrderEventType, PaymentOrderState]>>> = {
  PIX: [['SETTLE', 'PENDING']],
  TED: [['SETTLE', 'PENDING']],
  WIRE: [['SETTLE', 'PENDING']],
  BOLETO: [['SETTLE', 'PENDING'], ['RETURN', 'SETTLED'], ['RETURN', 'PARTIALLY_RETURNED']],
  BOOK: [['SENT_TO_RAIL', 'PENDING'], ['SETTLE', 'SENT']],
};

/** Currencies a rail moves (null: any ISO 4217 code). */
export const RAIL_CURRENCIES: Readonly<Record<PaymentRail, readonly string[] | null>> = {
  PIX: ['BRL'],
  TED: ['BRL'],
  BOLETO: ['BRL'],
  WIRE: null,
  BOOK: null,
};

/** States that accept nothing but the repeat of the event that produced them. */
export const TERMINAL_PAYMENT_ORDER_STATES: readonly PaymentOrderState[] = ['DENIED', 'FAILED', 'RETURNED', 'CANCELLED'];

/** Outcomes: the order will not move money forward again (SETTLED and PARTIALLY_RETURNED still take returns). */
export const FINAL_PAYMENT_ORDER_STATES: readonly PaymentOrderState[] = [...TERMINAL_PAYMENT_ORDER_STATES, 'SETTLED', 'PARTIALLY_RETURNED'];

export function isPaymentOrderState(value: unknown): value is PaymentOrderState {
  return typeof value === 'string' && (PAYMENT_ORDER_STATES as readonly string[]).includes(value);
}

export function isPaymentRail(value: unknown): value is PaymentRail {
  return typeof value === 'string' && (PAYMENT_RAILS as readonly string[]).includes(value);
}

export function isTerminalPaymentOrderState(state: PaymentOrderState): boolean {
  return TERMINAL_PAYMENT_ORDER_STATES.includes(state);
}

export function isFinalPaymentOrderState(state: PaymentOrderState): boolean {
  return FINAL_PAYMENT_ORDER_STATES.includes(state);
}

/**
 * The state `event` leads to from `state` on `rail`, or undefined when that move is not allowed.
 * RETURN answers RETURNED here; whether it is a partial return depends on the amounts.
 */
export function paymentOrderTarget(rail: PaymentRail, state: PaymentOrderState, event: PaymentOrderEventType): PaymentOrderState | undefined {
  const to = PAYMENT_ORDER_TRANSITIONS[event][state];
  if (to === undefined) return undefined;
  if (RAIL_EXCLUDED[rail].some(([e, s]) => e === event && s === state)) return undefined;
  return to;
}

/** The events a `rail` order in `state` accepts (besides the repeat of the one that brought it there). */
export function allowedPaymentOrderEvents(rail: PaymentRail, state: PaymentOrderState): PaymentOrderEventType[] {
  return PAYMENT_ORDER_EVENT_TYPES.filter((event) => paymentOrderTarget(rail, state, event) !== undefined);
}

/** The event type published for a move into `state`: `payments.order.<state lower-case>`. */
export function paymentOrderEventType(state: PaymentOrderState): string {
  return `payments.order.${state.toLowerCase()}`;
}
