import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import {
  CARD_STATES,
  CLOSE_REASONS,
  FULFILMENT_EVENTS,
  FULFILMENT_STATES,
  declineForCardState,
  initialCardState,
  needsReissue,
  transitionCard,
  transitionFulfilment,
  type CardEvent,
  type CardState,
  type FulfilmentState,
} from '../../src/domain/card-states';
import { RESPONSE_CODES } from '../../src/domain/decline-codes';

// The expected table, written out independently of CARD_TRANSITIONS.
const EXPECTED: Record<CardState, Record<CardEvent['type'], CardState | null>> = {
  PENDING_ACTIVATION: { ACTIVATE: 'ACTIVE', PAUSE: null, RESUME: null, CLOSE: 'CLOSED' },
  ACTIVE: { ACTIVATE: null, PAUSE: 'PAUSED', RESUME: null, CLOSE: 'CLOSED' },
  PAUSED: { ACTIVATE: null, PAUSE: null, RESUME: 'ACTIVE', CLOSE: 'CLOSED' },
  CLOSED: { ACTIVATE: null, PAUSE: null, RESUME: null, CLOSE: null },
};
const EVENTS: CardEvent[] = [{ type: 'ACTIVATE' }, { type: 'PAUSE' }, { type: 'RESUME' }, ...CLOSE_REASONS.map((reason) => ({ type: 'CLOSE' as const, reason }))];

describe('transitionCard', () => {
  it('every (state, event) pair of a virtual card follows the table', () => {
    for (const state of CARD_STATES) {
      for (const event of EVENTS) {
        const expected = EXPECTED[state][event.type];
        const result = transitionCard({ state, form: 'VIRTUAL' }, event);
        if (expected === null) assert.deepEqual(result, { ok: false, reason: 'INVALID_TRANSITION' }, `${state} + ${event.type}`);
        else if (event.type === 'CLOSE') assert.deepEqual(result, { ok: true, state: expected, closeReason: event.reason });
        else assert.deepEqual(result, { ok: true, state: expected }, `${state} + ${event.type}`);
      }
    }
  });

  it('a physical card activates only once SHIPPED or DELIVERED', () => {
    const allowed: Record<FulfilmentState, boolean> = { ORDERED: false, SHIPPED: true, DELIVERED: true, RETURNED: false };
    for (const fulfilment of FULFILMENT_STATES) {
      const result = transitionCard({ state: 'PENDING_ACTIVATION', form: 'PHYSICAL', fulfilment }, { type: 'ACTIVATE' });
      assert.deepEqual(result, allowed[fulfilment] ? { ok: true, state: 'ACTIVE' } : { ok: false, reason: 'NOT_YET_SHIPPED' }, fulfilment);
    }
    assert.deepEqual(transitionCard({ state: 'PENDING_ACTIVATION', form: 'PHYSICAL' }, { type: 'ACTIVATE' }), { ok: false, reason: 'NOT_YET_SHIPPED' });
    // The table is checked first: an ACTIVE physical card cannot be activated again whatever its fulfilment.
    assert.deepEqual(transitionCard({ state: 'ACTIVE', form: 'PHYSICAL', fulfilment: 'ORDERED' }, { type: 'ACTIVATE' }), { ok: false, reason: 'INVALID_TRANSITION' });
  });

  it('a physical card follows the same table for the other events', () => {
    for (const state of CARD_STATES) {
      for (const event of EVENTS.filter((e) => e.type !== 'ACTIVATE')) {
        const result = transitionCard({ state, form: 'PHYSICAL', fulfilment: 'DELIVERED' }, event);
        assert.equal(result.ok, EXPECTED[state][event.type] !== null);
      }
    }
  });

  it('new cards: virtual ACTIVE, physical PENDING_ACTIVATION and ORDERED', () => {
    assert.deepEqual(initialCardState('VIRTUAL'), { state: 'ACTIVE', fulfilment: null });
    assert.deepEqual(initialCardState('PHYSICAL'), { state: 'PENDING_ACTIVATION', fulfilment: 'ORDERED' });
  });
});

describe('needsReissue', () => {
  it('is true for LOST and STOLEN only', () => {
    for (const reason of CLOSE_REASONS) assert.equal(needsReissue(reason), reason === 'LOST' || reason === 'STOLEN', reason);
  });
});

describe('transitionFulfilment', () => {
  it('ORDERED -> SHIPPED -> DELIVERED | RETURNED, every pair', () => {
    const expected: Record<FulfilmentState, Record<string, FulfilmentState | null>> = {
      ORDERED: { SHIP: 'SHIPPED', DELIVER: null, RETURN: null },
      SHIPPED: { SHIP: null, DELIVER: 'DELIVERED', RETURN: 'RETURNED' },
      DELIVERED: { SHIP: null, DELIVER: null, RETURN: null },
      RETURNED: { SHIP: null, DELIVER: null, RETURN: null },
    };
    for (const state of FULFILMENT_STATES) {
      for (const event of FULFILMENT_EVENTS) {
        const next = expected[state][event];
        assert.deepEqual(transitionFulfilment(state, event), next === null ? { ok: false, reason: 'INVALID_TRANSITION' } : { ok: true, fulfilment: next });
      }
    }
  });
});

describe('declineForCardState', () => {
  it('maps each state (and close reason) to a decline the table knows', () => {
    assert.equal(declineForCardState('ACTIVE'), null);
    assert.equal(declineForCardState('PENDING_ACTIVATION'), 'CARD_NOT_ACTIVE');
    assert.equal(declineForCardState('PAUSED'), 'RESTRICTED_CARD');
    assert.equal(declineForCardState('CLOSED', 'LOST'), 'LOST_CARD');
    assert.equal(declineForCardState('CLOSED', 'STOLEN'), 'STOLEN_CARD');
    assert.equal(declineForCardState('CLOSED', 'EXPIRED'), 'EXPIRED_CARD');
    assert.equal(declineForCardState('CLOSED', 'FRAUD'), 'DO_NOT_HONOUR');
    assert.equal(declineForCardState('CLOSED'), 'DO_NOT_HONOUR');
    for (const state of CARD_STATES) for (const reason of CLOSE_REASONS) {
      const decline = declineForCardState(state, reason);
      if (decline !== null) assert.ok(RESPONSE_CODES[decline]);
    }
  });
});
