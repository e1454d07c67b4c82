/**
 * The card lifecycle and physical fulfilment as transition tables, and what each state means to an
 * authorisation. Virtual cards are ACTIVE on issue; physical cards wait in PENDING_ACTIVATION until the
 * cardholder activates them, which is allowed once the card has SHIPPED or been DELIVERED (carriers confirm
 * delivery late or never, and holding the card to activate it is the proof of receipt that matters).
 */
import type { DeclineReason } from './decline-codes';

export const CARD_STATES = ['PENDING_ACTIVATION', 'ACTIVE', 'PAUSED', 'CLOSED'] as const;
export type CardState = (typeof CARD_STATES)[number];

export const CLOSE_REASONS = ['LOST', 'STOLEN', 'CUSTOMER_REQUEST', 'EXPIRED', 'FRAUD'] as const;
export type CloseReason = (typeof CLOSE_REASONS)[number];

export const FULFILMENT_STATES = ['ORDERED', 'SHIPPED', 'DELIVERED', 'RETURNED'] as const;
export type FulfilmentState = (typeof FULFILMENT_STATES)[number];

export type CardForm = 'VIRTUAL' | 'PHYSICAL';

export const CARD_EVENT_TYPES = ['ACTIVATE', 'PAUSE', 'RESUME', 'CLOSE'] as const;
export type CardEventType = (typeof CARD_EVENT_TYPES)[number];
export type CardEvent = { type: 'ACTIVATE' } | { type: 'PAUSE' } | { type: 'RESUME' } | { type: 'CLOSE'; reason: CloseReason };

/** What a transition needs to know about the card. `fulfilment` only matters for physical cards. */
export type CardSnapshot = { state: CardState; form: CardForm; fulfilment?: FulfilmentState | null };

export type CardTransitionRefusal = 'INVALID_TRANSITION' | 'NOT_YET_SHIPPED';
export type CardTransition =
  | { ok: true; state: CardState; closeReason?: CloseReason }
  | { ok: false; reason: CardTransitionRefusal };

/** The next state for each (state, event); missing pairs are INVALID_TRANSITION. CLOSED is final. */
export const CARD_TRANSITIONS: Readonly<Record<CardState, Partial<Record<CardEventType, CardState>>>> = Object.freeze({
  PENDING_ACTIVATION: { ACTIVATE: 'ACTIVE', CLOSE: 'CLOSED' },
  ACTIVE: { PAUSE: 'PAUSED', CLOSE: 'CLOSED' },
  PAUSED: { RESUME: 'ACTIVE', CLOSE: 'CLOSED' },
  CLOSED: {},
});

/** Fulfilment states from which a physical card may be activated. */
export const ACTIVATABLE_FULFILMENT: readonly FulfilmentState[] = ['SHIPPED', 'DELIVERED'];

/** The state a new card starts in: virtual cards are usable at once, physical ones are ORDERED and pending. */
export function initialCardState(form: CardForm): { state: CardState; fulfilment: FulfilmentState | null } {
  return form === 'VIRTUAL' ? { state: 'ACTIVE', fulfilment: null } : { state: 'PENDING_ACTIVATION', fulfilment: 'ORDERED' };
}

/** Applies `event` to the card, or says why it cannot. A physical card not yet SHIPPED/DELIVERED is NOT_YET_SHIPPED. */
export function transitionCard(card: CardSnapshot, event: CardEvent): CardTransition {
  const next = CARD_TRANSITIONS[card.state][event.type];
  if (next === undefined) return { ok: false, reason: 'INVALID_TRANSITION' };
  if (event.type === 'ACTIVATE' && card.form === 'PHYSICAL' && !ACTIVATABLE_FULFILMENT.includes(card.fulfilment ?? 'ORDERED')) {
    return { ok: false, reason: 'NOT_YET_SHIPPED' };
  }
  return event.type === 'CLOSE' ? { ok: true, state: next, closeReason: event.reason } : { ok: true, state: next };
}

/** True when closing for this reason should issue a replacement card (same controls, new PAN). */
export function needsReissue(reason: CloseReason): boolean {
  return reason === 'LOST' || reason === 'STOLEN';
}

export const FULFILMENT_EVENTS = ['SHIP', 'DELIVER', 'RETURN'] as const;
export type FulfilmentEvent = (typeof FULFILMENT_EVENTS)[number];

/** ORDERED -> SHIPPED -> DELIVERED | RETURNED; DELIVERED and RETURNED are final. */
export const FULFILMENT_TRANSITIONS: Readonly<Record<FulfilmentState, Partial<Record<FulfilmentEvent, FulfilmentState>>>> = Object.freeze({
  ORDERED: { SHIP: 'SHIPPED' },
  SHIPPED: { DELIVER: 'DELIVERED', RETURN: 'RETURNED' },
  DELIVERED: {},
  RETURNED: {},
});

export type FulfilmentTransition = { ok: true; fulfilment: FulfilmentState } | { ok: false; reason: 'INVALID_TRANSITION' };

/** Applies a carrier event to a physical card's fulfilment state. */
export function transitionFulfilment(state: FulfilmentState, event: FulfilmentEvent): FulfilmentTransition {
  const next = FULFILMENT_TRANSITIONS[state][event];
  return next === undefined ? { ok: false, reason: 'INVALID_TRANSITION' } : { ok: true, fulfilment: next };
}

/**
 * Why an authorisation on a card in this state is declined, or null when the state allows it. Closed cards
 * answer with the pick-up codes for LOST/STOLEN, EXPIRED_CARD, and a plain DO_NOT_HONOUR otherwise (a card
 * closed for fraud does not tell the fraudster so).
 */
export function declineForCardState(state: CardState, closeReason?: CloseReason | null): DeclineReason | null {
  switch (state) {
    case 'ACTIVE':
      return null;
    case 'PENDING_ACTIVATION':
      return 'CARD_NOT_ACTIVE';
    case 'PAUSED':
      return 'RESTRICTED_CARD';
    case 'CLOSED':
      if (closeReason === 'LOST') return 'LOST_CARD';
      if (closeReason === 'STOLEN') return 'STOLEN_CARD';
      if (closeReason === 'EXPIRED') return 'EXPIRED_CARD';
      return 'DO_NOT_HONOUR';
  }
}
