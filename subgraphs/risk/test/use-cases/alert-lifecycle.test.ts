import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import {
  ALERT_STATUSES,
  assertAlertTransition,
  canMoveAlert,
  confirmedFraudSubjects,
  INVALID_STATE_TRANSITION,
  isFinalAlertStatus,
  MAX_ALERT_NOTE,
  normalizeAlertNote,
} from '../../src/domain/alert-lifecycle';

describe('alert lifecycle (pure)', () => {
  it('allows exactly OPEN -> INVESTIGATING | DISMISSED and INVESTIGATING -> CONFIRMED_FRAUD | DISMISSED', () => {
    const allowed = ALERT_STATUSES.flatMap((from) => ALERT_STATUSES.filter((to) => canMoveAlert(from, to)).map((to) => `${from}->${to}`));
    assert.deepEqual(allowed.sort(), ['INVESTIGATING->CONFIRMED_FRAUD', 'INVESTIGATING->DISMISSED', 'OPEN->DISMISSED', 'OPEN->INVESTIGATING']);
  });

  it('every other move is CONFLICT with reason INVALID_STATE_TRANSITION, naming from, to and what is allowed', () => {
    fc.assert(
      fc.property(fc.constantFrom(...ALERT_STATUSES), fc.constantFrom(...ALERT_STATUSES), (from, to) => {
        if (canMoveAlert(from, to)) {
          assertAlertTransition(from, to);
          return;
        }
        assert.throws(
          () => assertAlertTransition(from, to),
          (err: { code?: string; details?: Record<string, unknown> }) =>
            err.code === 'CONFLICT' && err.details?.reason === INVALID_STATE_TRANSITION && err.details.from === from && err.details.to === to && Array.isArray(err.details.allowed),
        );
      }),
    );
  });

  it('confirmed fraud and dismissed are final; no status moves to itself; confirming needs an investigation first', () => {
    assert.ok(isFinalAlertStatus('CONFIRMED_FRAUD') && isFinalAlertStatus('DISMISSED'));
    assert.ok(!isFinalAlertStatus('OPEN') && !isFinalAlertStatus('INVESTIGATING'));
    for (const s of ALERT_STATUSES) assert.equal(canMoveAlert(s, s), false);
    assert.equal(canMoveAlert('OPEN', 'CONFIRMED_FRAUD'), false);
    // Any path from OPEN reaches a final status in at most two moves.
    for (const next of ALERT_STATUSES.filter((s) => canMoveAlert('OPEN', s))) {
      assert.ok(isFinalAlertStatus(next) || ALERT_STATUSES.filter((s) => canMoveAlert(next, s)).every(isFinalAlertStatus));
    }
  });

  it('notes are trimmed, empty is null, longer than the limit is BAD_USER_INPUT', () => {
    assert.equal(normalizeAlertNote(undefined), null);
    assert.equal(normalizeAlertNote('   '), null);
    assert.equal(normalizeAlertNote('  checked with the customer '), 'checked with the customer');
    assert.equal(normalizeAlertNote('x'.repeat(MAX_ALERT_NOTE)), 'x'.repeat(MAX_ALERT_NOTE));
    assert.throws(() => normalizeAlertNote('x'.repeat(MAX_ALERT_NOTE + 1)), { code: 'BAD_USER_INPUT' });
  });

  it('a confirmed payment pattern marks accounts, an identity pattern customers', () => {
    assert.deepEqual(confirmedFraudSubjects('MULE', ['a1']), { customerIds: [], accountIds: ['a1'] });
    assert.deepEqual(confirmedFraudSubjects('CYCLE', ['a1', 'a2', 'a3']), { customerIds: [], accountIds: ['a1', 'a2', 'a3'] });
    for (const kind of ['RING', 'SHARED_IDENTIFIERS', 'FRAUD_PROXIMITY']) assert.deepEqual(confirmedFraudSubjects(kind, ['c1', 'c2']), { customerIds: ['c1', 'c2'], accountIds: [] });
  });
});
