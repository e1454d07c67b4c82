import { DomainError, unauthenticated } from '@baas/errors';
import type { Identity } from '@baas/auth';
import { creditReasons, creditScoreFromProbability, woeRow, type CreditScorecard } from '../domain/credit-score';
import { riskTenant } from '../permissions';
import type { CreditRawRow } from '../store/credit-inputs-store';

export type GetCreditScoreDeps = {
  /** Identity's directory: the customer must exist in the tenant. */
  directory: { customerStanding(tenantId: string, customerId: string): Promise<{ customerId: string; tenantId: string } | null> };
  /** The raw scorecard row the platform knows (null = not known), in the scorecard's order. */
  inputs: { read(q: { tenantId: string; customerId: string; now: Date }): Promise<CreditRawRow> };
  model: { version: string; card: CreditScorecard; predictDefault(woe: Float32Array): Promise<number> };
  now?: () => Date;
};

export type CreditScoreResult = {
  customerId: string;
  score: number;
  probabilityOfDefaultBps: number;
  reasons: string[];
  unavailableInputs: string[];
  modelVersion: string;
};

/**
 * The neutral value of a feature: a raw value in the bin whose weight of evidence is nearest 0,
 * that is, the bin whose odds are the training population's own (ties: the lower bin). An input
 * the platform does not know is scored there: it neither helps nor hurts, and gives no reason.
 */
function neutralValue(edges: readonly number[], woe: readonly number[]): number {
  let best = 0;
  woe.forEach((w, i) => {
    if (Math.abs(w) < Math.abs(woe[best]!)) best = i;
  });
  return best === 0 ? edges[0]! - 1 : edges[best - 1]!;
}

/** A raw value in the feature's best bin (most points): it loses no points, so it is never a reason. */
function bestValue(edges: readonly number[], woe: readonly number[], coefficient: number): number {
  let best = 0;
  woe.forEach((w, i) => {
    if (-coefficient * w > -coefficient * woe[best]!) best = i;
  });
  return best === 0 ? edges[0]! - 1 : edges[best - 1]!;
}

/**
 * A customer's credit score (models/risk/credit-scorecard.json, domain/credit-score.ts): a tenant's
 * API client for its own customers, operators and internal services naming the tenant. The
 * customer is looked up in identity: unknown, malformed or another tenant's is NOT_FOUND (the same
 * answer). Unknown inputs are scored at their neutral bin, listed in `unavailableInputs` and never
 * given as reasons (the reasons are the known inputs' costliest, at most the scorecard's max).
 */
export async function getCreditScore(deps: GetCreditScoreDeps, identity: Identity | null, args: { customerId: string; tenantId?: string | null }): Promise<CreditScoreResult> {
  if (!identity) throw unauthenticated();
  const tenantId = riskTenant(identity, args.tenantId);
  const standing = await deps.directory.customerStanding(tenantId, args.customerId);
  if (!standing) throw new DomainError('NOT_FOUND', 'Customer not found.');
  const { card } = deps.model;
  const raw = await deps.inputs.read({ tenantId: standing.tenantId, customerId: standing.customerId, now: deps.now?.() ?? new Date() });
  if (raw.length !== card.features.length) throw new Error(`credit inputs: ${raw.length} values for ${card.features.length} features`);
  const unavailable = card.features.filter((_, i) => raw[i] === null).map((f) => f.name);
  const row = raw.map((x, i) => (x === null ? neutralValue(card.features[i]!.edges, card.features[i]!.woe) : x));
  const pDefault = await deps.model.predictDefault(woeRow(card, row));
  // Reasons among the known inputs only: an unknown one sits in its best bin for this purpose.
  const known = raw.map((x, i) => (x === null ? bestValue(card.features[i]!.edges, card.features[i]!.woe, card.coefficients[i]!) : x));
  return {
    customerId: standing.customerId,
    score: creditScoreFromProbability(pDefault, card.scaling),
    probabilityOfDefaultBps: Math.min(10_000, Math.max(0, Math.floor(pDefault * 10_000 + 0.5))),
    reasons: creditReasons(card, known),
    unavailableInputs: unavailable,
    modelVersion: deps.model.version,
  };
}
