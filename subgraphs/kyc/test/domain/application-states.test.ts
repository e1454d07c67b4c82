import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { acceptsDocuments, APPLICATION_EVENTS, APPLICATION_STATES, isFinalState, transitionApplication, type ApplicationEvent, type ApplicationState } from '../../src/domain/application-states';

// The legal moves, written out independently of APPLICATION_TRANSITIONS.
const LEGAL: Record<string, ApplicationState> = {
  'DRAFT ADD_DOCUMENT': 'DRAFT',
  'DRAFT SUBMIT': 'SUBMITTED',
  'SUBMITTED START_PROCESSING': 'PROCESSING',
  'PROCESSING APPROVE': 'APPROVED',
  'PROCESSING DENY': 'DENIED',
  'PROCESSING REQUEST_DOCUMENTS': 'NEEDS_DOCUMENTS',
  'PROCESSING REFER': 'MANUAL_REVIEW',
  'NEEDS_DOCUMENTS ADD_DOCUMENT': 'PROCESSING',
  'MANUAL_REVIEW OPERATOR_APPROVE': 'APPROVED',
  'MANUAL_REVIEW OPERATOR_DENY': 'DENIED',
};

const state = fc.constantFrom(...APPLICATION_STATES);
const event = fc.constantFrom(...APPLICATION_EVENTS);

describe('transitionApplication', () => {
  it('accepts exactly the legal moves, to the listed state, for every (state, event) pair', () => {
    fc.assert(
      fc.property(state, event, (s, e) => {
        const result = transitionApplication(s, e);
        const expected = LEGAL[`${s} ${e}`];
        if (expected === undefined) assert.deepEqual(result, { ok: false, reason: 'KYC_INVALID_TRANSITION', from: s, event: e });
        else assert.deepEqual(result, { ok: true, state: expected });
      }),
    );
  });

  it('no random history ever leaves a final state, and every step taken was a legal one', () => {
    fc.assert(
      fc.property(fc.array(event, { maxLength: 40 }), (events: ApplicationEvent[]) => {
        let current: ApplicationState = 'DRAFT';
        for (const e of events) {
          const result = transitionApplication(current, e);
          if (!result.ok) continue;
          assert.ok(`${current} ${e}` in LEGAL, `${current} + ${e} was accepted`);
          assert.ok(!isFinalState(current), `left the final state ${current}`);
          current = result.state;
        }
      }),
      { numRuns: 500 },
    );
  });

  it('APPROVED and DENIED are final; only DRAFT and NEEDS_DOCUMENTS accept documents', () => {
    assert.deepEqual(APPLICATION_STATES.filter(isFinalState), ['APPROVED', 'DENIED']);
    assert.deepEqual(APPLICATION_STATES.filter(acceptsDocuments), ['DRAFT', 'NEEDS_DOCUMENTS']);
  });

  it('an unknown state or event is refused, not thrown', () => {
    assert.equal(transitionApplication('NOPE' as ApplicationState, 'SUBMIT').ok, false);
    assert.equal(transitionApplication('DRAFT', 'toString' as ApplicationEvent).ok, false);
    assert.equal(transitionApplication('DRAFT', '__proto__' as ApplicationEvent).ok, false);
  });
});
