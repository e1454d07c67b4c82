import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { heldAmount, initialHolds, planCapture, planIncrement, planRelease, replayHolds, type HoldState } from '../../src/domain/hold-pieces';

/** A random life of an authorisation: increments, non-final captures and partial reversals. */
const step = fc.oneof(
  fc.record({ kind: fc.constant('INCREMENT' as const), amount: fc.bigInt({ min: 1n, max: 10_000n }) }),
  fc.record({ kind: fc.constant('CAPTURE' as const), amount: fc.bigInt({ min: 1n, max: 10_000n }) }),
  fc.record({ kind: fc.constant('REVERSAL' as const), amount: fc.bigInt({ min: 1n, max: 10_000n }) }),
);

describe('hold pieces', () => {
  it('a partial capture posts part of hold 1 and re-holds the rest as a new piece (hold 3, after hold 2 of the increment); a final one voids what it did not touch', () => {
    const state = planIncrement(initialHolds(100n), 50n).after;
    const partial = planCapture(state, 30n, false);
    assert.deepEqual(partial.posts, [{ n: 1, amount: 30n, whole: false }]);
    assert.deepEqual(partial.rehold, { n: 3, amount: 70n });
    assert.deepEqual(partial.after, { pieces: [{ n: 3, amount: 70n }, { n: 2, amount: 50n }], next: 4 });
    const final = planCapture(partial.after, 80n, true);
    assert.deepEqual(final.posts, [{ n: 3, amount: 70n, whole: true }, { n: 2, amount: 10n, whole: false }]);
    assert.deepEqual(final.voids, []);
    assert.equal(final.rehold, null);
    assert.equal(heldAmount(final.after), 0n);
    assert.deepEqual(planCapture(state, 20n, true).voids, [2]);
  });

  it('a capture above what is held posts it all and the excess directly', () => {
    const plan = planCapture(initialHolds(100n), 130n, false);
    assert.equal(plan.excess, 30n);
    assert.equal(heldAmount(plan.after), 0n);
  });

  it('a partial reversal voids the newest pieces and re-holds what a piece keeps', () => {
    const state = planIncrement(initialHolds(100n), 50n).after;
    const plan = planRelease(state, 60n);
    assert.deepEqual(plan.voids, [2, 1]);
    assert.deepEqual(plan.rehold, { n: 3, amount: 90n });
    assert.deepEqual(planRelease(state).voids, [2, 1]);
    assert.equal(heldAmount(planRelease(state).after), 0n);
  });

  it('property: held = approved + increments - captured - reversed (floored at 0 per step); pieces numbered uniquely; replay agrees', () => {
    fc.assert(
      fc.property(fc.bigInt({ min: 1n, max: 10_000n }), fc.array(step, { maxLength: 20 }), (approved, steps) => {
        let state: HoldState = initialHolds(approved);
        let expected = approved;
        const used = new Set<number>([1]);
        for (const s of steps) {
          const before = heldAmount(state);
          const plan = s.kind === 'INCREMENT' ? planIncrement(state, s.amount) : s.kind === 'CAPTURE' ? planCapture(state, s.amount, false) : planRelease(state, s.amount);
          expected = s.kind === 'INCREMENT' ? expected + s.amount : expected - (s.amount < before ? s.amount : before);
          const touched = [...plan.posts.map((p) => p.n), ...plan.voids];
          for (const n of touched) assert.ok(state.pieces.some((p) => p.n === n), 'only pieces that exist are posted or voided');
          const posted = plan.posts.reduce((sum, p) => sum + p.amount, 0n);
          if (s.kind === 'CAPTURE') assert.equal(posted + plan.excess, s.amount);
          if (plan.rehold) {
            assert.ok(!used.has(plan.rehold.n), 'a re-held piece gets a new number');
            used.add(plan.rehold.n);
          }
          state = plan.after;
          assert.equal(heldAmount(state), expected);
          assert.ok(state.pieces.every((p) => p.amount > 0n));
        }
        assert.deepEqual(replayHolds(approved, steps), state);
      }),
    );
  });
});
