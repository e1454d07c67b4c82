import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  binOf,
  checkScorecard,
  creditReasons,
  creditScoreFromProbability,
  ScorecardError,
  woeRow,
  type CreditScorecard,
} from '../src/domain/credit-score';

const SCALING = { basePoints: 600, baseOddsGoodToBad: 30, pointsToDoubleOdds: 50, min: 0, max: 1000, probabilityClamp: 1e-6 };
// Two features; the coefficients are negative (a higher WoE means fewer defaults), as a fitted scorecard's are.
const CARD: CreditScorecard = {
  features: [
    { name: 'age', reasonCode: 'ACCOUNT_AGE', edges: [12, 24], woe: [-1, 0, 0.5] },
    { name: 'failed', reasonCode: 'FAILED_PAYMENTS', edges: [0.5, 1.5], woe: [0.25, -0.5, -2] },
  ],
  coefficients: [-1, -0.5],
  intercept: -3,
  scaling: SCALING,
  reasons: { max: 4, minPointsLost: 1 },
};
// odds good:bad of 30 gives P(default) = 1/31.
const atOdds = (goodToBad: number) => 1 / (1 + goodToBad);

describe('credit scorecard rules', () => {
  it('puts a value in the bin counting the edges at or below it (a value on an edge goes up)', () => {
    assert.equal(binOf([12, 24], 0), 0);
    assert.equal(binOf([12, 24], 11.999), 0);
    assert.equal(binOf([12, 24], 12), 1);
    assert.equal(binOf([12, 24], 23.5), 1);
    assert.equal(binOf([12, 24], 24), 2);
    assert.equal(binOf([12, 24], 1e9), 2);
    assert.equal(binOf([-0.5, 0.25], -1), 0, 'the "no card" sentinel -1 sits below every edge');
    assert.equal(binOf([], 5), 0);
  });

  it('maps a raw row to the float32 WoE row, in the scorecard order', () => {
    assert.deepEqual(Array.from(woeRow(CARD, [30, 0])), [0.5, 0.25]);
    assert.deepEqual(Array.from(woeRow(CARD, [12, 1])), [0, -0.5]);
    assert.deepEqual(Array.from(woeRow(CARD, [0, 7])), [-1, -2]);
    assert.ok(woeRow(CARD, [0, 0]) instanceof Float32Array);
  });

  it('scales to 600 points at 30:1 good:bad odds and adds 50 points per doubling of the odds', () => {
    assert.equal(creditScoreFromProbability(atOdds(30), SCALING), 600);
    assert.equal(creditScoreFromProbability(atOdds(60), SCALING), 650);
    assert.equal(creditScoreFromProbability(atOdds(15), SCALING), 550);
    assert.equal(creditScoreFromProbability(atOdds(30 * 2 ** 4), SCALING), 800);
    assert.equal(creditScoreFromProbability(0.5, SCALING), 355); // 600 + 50 * log2(1/30) = 354.66
  });

  it('clamps the score to 0-1000, even for a probability of exactly 0 or 1', () => {
    assert.equal(creditScoreFromProbability(0, SCALING), 1000);
    assert.equal(creditScoreFromProbability(1, SCALING), 0);
    assert.equal(creditScoreFromProbability(1e-30, SCALING), 1000);
    assert.equal(creditScoreFromProbability(0.999999999, SCALING), 0);
    assert.throws(() => creditScoreFromProbability(Number.NaN, SCALING), ScorecardError);
  });

  it('gives as reasons the features losing the most points against their best bin, most first', () => {
    const factor = 50 / Math.LN2;
    // age in bin 0: loses 1.5 * factor; failed in bin 2: loses 0.5 * 2.25 * factor = 1.125 * factor.
    assert.deepEqual(creditReasons(CARD, [0, 5]), ['ACCOUNT_AGE', 'FAILED_PAYMENTS']);
    // failed in bin 1: loses 0.375 * factor (27 points): still a reason; age in its best bin: none.
    assert.deepEqual(creditReasons(CARD, [30, 1]), ['FAILED_PAYMENTS']);
    assert.ok(0.375 * factor > 1);
    // Both in their best bins: no reasons.
    assert.deepEqual(creditReasons(CARD, [30, 0]), []);
  });

  it('breaks ties in the scorecard order, caps the number of reasons and skips losses under minPointsLost', () => {
    const tie: CreditScorecard = {
      ...CARD,
      features: [
        { name: 'a', reasonCode: 'A', edges: [1], woe: [-1, 0] },
        { name: 'b', reasonCode: 'B', edges: [1], woe: [-1, 0] },
        { name: 'c', reasonCode: 'C', edges: [1], woe: [-0.01, 0] },
      ],
      coefficients: [-1, -1, -1],
      reasons: { max: 1, minPointsLost: 1 },
    };
    assert.deepEqual(creditReasons(tie, [0, 0, 0]), ['A']);
    assert.deepEqual(creditReasons({ ...tie, reasons: { max: 4, minPointsLost: 1 } }, [0, 0, 0]), ['A', 'B'], 'C loses 0.72 points');
  });

  it('refuses a row of the wrong length or with a value that is not a finite number, naming only the index', () => {
    assert.throws(() => woeRow(CARD, [1]), /needs 2 values, got 1/);
    assert.throws(() => woeRow(CARD, [1, Number.NaN]), (err) => err instanceof ScorecardError && /feature 1 /.test(err.message) && !/NaN/.test(err.message));
    assert.throws(() => creditReasons(CARD, [Infinity, 0]), ScorecardError);
    assert.throws(() => woeRow(CARD, ['3', 0] as unknown as number[]), ScorecardError);
  });

  it('checks a scorecard before use: shapes, ascending edges, finite numbers, usable scaling', () => {
    assert.equal(checkScorecard(CARD), CARD);
    const bad = (patch: Partial<CreditScorecard>) => () => checkScorecard({ ...CARD, ...patch });
    assert.throws(bad({ coefficients: [-1] }), ScorecardError);
    assert.throws(bad({ intercept: Number.NaN }), ScorecardError);
    assert.throws(bad({ features: [] }), ScorecardError);
    assert.throws(bad({ features: [{ name: 'x', reasonCode: 'X', edges: [2, 1], woe: [0, 0, 0] }, CARD.features[1]!] }), ScorecardError);
    assert.throws(bad({ features: [{ name: 'x', reasonCode: 'X', edges: [1], woe: [0] }, CARD.features[1]!] }), ScorecardError);
    assert.throws(bad({ scaling: { ...SCALING, probabilityClamp: 0 } }), ScorecardError);
  });
});
