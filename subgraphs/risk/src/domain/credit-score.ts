/**
 * The credit scorecard's rules, said once for the platform (models/risk/credit-scorecard.json holds the
 * numbers; models/risk/train_credit.py applies the same rules in Python to write the golden vectors):
 *
 * - bin of a raw value x = the number of the feature's edges e with e <= x; its weight of evidence (WoE)
 *   is `woe[bin]`, and the float32 WoE row is what the ONNX logistic regression takes;
 * - score 0-1000 = floor(basePoints + pointsToDoubleOdds / ln 2 * (ln((1 - p) / p) - ln baseOddsGoodToBad) + 0.5),
 *   clamped, with p = P(default) from the model clamped to [probabilityClamp, 1 - probabilityClamp];
 * - reasons: the features whose bin costs at least `minPointsLost` points against that feature's best bin,
 *   points(bin) = -pointsToDoubleOdds / ln 2 * coefficient * woe[bin]; most points first, ties in feature
 *   order, at most `reasons.max`.
 *
 * Pure: the caller loads the JSON (and checks it with checkScorecard) and runs the model.
 */

export type ScorecardFeature = {
  readonly name: string;
  readonly reasonCode: string;
  /** Ascending, exact in float32. */
  readonly edges: readonly number[];
  /** One more than edges. */
  readonly woe: readonly number[];
};

export type ScorecardScaling = {
  readonly basePoints: number;
  readonly baseOddsGoodToBad: number;
  readonly pointsToDoubleOdds: number;
  readonly min: number;
  readonly max: number;
  readonly probabilityClamp: number;
};

export type CreditScorecard = {
  readonly features: readonly ScorecardFeature[];
  readonly coefficients: readonly number[];
  readonly intercept: number;
  readonly scaling: ScorecardScaling;
  readonly reasons: { readonly max: number; readonly minPointsLost: number };
};

/** A scorecard or a raw row that breaks the rules: the platform's fault, never the client's. */
export class ScorecardError extends Error {
  override readonly name = 'ScorecardError';
}

/** Throws ScorecardError unless `card` is usable: shapes agree, edges ascending, every number finite. */
export function checkScorecard(card: CreditScorecard): CreditScorecard {
  const finite = (xs: readonly number[]) => xs.every((x) => typeof x === 'number' && Number.isFinite(x));
  if (!card.features?.length) throw new ScorecardError('The scorecard has no features.');
  if (card.coefficients?.length !== card.features.length || !finite(card.coefficients) || !finite([card.intercept])) {
    throw new ScorecardError('The scorecard needs one finite coefficient per feature and a finite intercept.');
  }
  for (const f of card.features) {
    const ascending = f.edges.every((e, i) => i === 0 || f.edges[i - 1]! < e);
    if (!finite(f.edges) || !finite(f.woe) || f.woe.length !== f.edges.length + 1 || !ascending || !f.reasonCode) {
      throw new ScorecardError(`Scorecard feature ${f.name}: edges must ascend, woe must have one value more, all finite, with a reason code.`);
    }
  }
  const s = card.scaling;
  if (!finite([s.basePoints, s.baseOddsGoodToBad, s.pointsToDoubleOdds, s.min, s.max, s.probabilityClamp]) || !(s.probabilityClamp > 0 && s.probabilityClamp < 0.5)) {
    throw new ScorecardError('The scorecard scaling is not usable.');
  }
  return card;
}

/** The bin of `x`: how many edges are <= x. */
export function binOf(edges: readonly number[], x: number): number {
  let bin = 0;
  while (bin < edges.length && edges[bin]! <= x) bin += 1;
  return bin;
}

function checkedRow(card: CreditScorecard, raw: readonly number[]): void {
  if (raw.length !== card.features.length) {
    throw new ScorecardError(`A credit feature row needs ${card.features.length} values, got ${raw.length}.`);
  }
  raw.forEach((x, i) => {
    // The index only: feature values are personal data.
    if (typeof x !== 'number' || !Number.isFinite(x)) throw new ScorecardError(`Credit feature ${i} is not a finite number.`);
  });
}

/** The float32 WoE row the model takes, from the raw feature row (in the scorecard's order). */
export function woeRow(card: CreditScorecard, raw: readonly number[]): Float32Array {
  checkedRow(card, raw);
  return Float32Array.from(card.features, (f, i) => f.woe[binOf(f.edges, raw[i]!)]!);
}

/** The 0-1000 score from the model's probability of default. */
export function creditScoreFromProbability(pDefault: number, scaling: ScorecardScaling): number {
  if (!Number.isFinite(pDefault)) throw new ScorecardError('The probability of default is not a finite number.');
  const p = Math.min(Math.max(pDefault, scaling.probabilityClamp), 1 - scaling.probabilityClamp);
  const factor = scaling.pointsToDoubleOdds / Math.LN2;
  const points = scaling.basePoints + factor * (Math.log((1 - p) / p) - Math.log(scaling.baseOddsGoodToBad));
  return Math.min(scaling.max, Math.max(scaling.min, Math.floor(points + 0.5)));
}

/** Reason codes for the raw row: the features costing the most points against their best bin. */
export function creditReasons(card: CreditScorecard, raw: readonly number[]): string[] {
  checkedRow(card, raw);
  const factor = card.scaling.pointsToDoubleOdds / Math.LN2;
  const lost = card.features.map((f, i) => {
    const points = f.woe.map((w) => -factor * card.coefficients[i]! * w);
    return { i, lost: Math.max(...points) - points[binOf(f.edges, raw[i]!)]! };
  });
  return lost
    .filter((x) => x.lost >= card.reasons.minPointsLost)
    .sort((a, b) => b.lost - a.lost || a.i - b.i)
    .slice(0, card.reasons.max)
    .map((x) => card.features[x.i]!.reasonCode);
}
