import { FEATURE_INDEX } from './fraud-features';
import { REASON_CODES, type ReasonCode } from './reason-codes';
import type { TenantRiskSettings } from './risk-settings';

/**
 * The decision on a scored movement: the model's score against the tenant's thresholds, the
 * tenant's hard rules on top, and the reasons (stable codes, domain/reason-codes.ts): the decisive
 * rule first, then the features that drove the score. Pure and monotone: a higher score, a larger
 * amount, a higher mule score or a nearer fraudster never gives a milder decision.
 */
export type Decision = 'ALLOW' | 'REVIEW' | 'BLOCK';

const SEVERITY: Record<Decision, number> = { ALLOW: 0, REVIEW: 1, BLOCK: 2 };
export const severity = (d: Decision): number => SEVERITY[d];
const stricter = (a: Decision, b: Decision): Decision => (SEVERITY[b] > SEVERITY[a] ? b : a);

/** At most this many feature reasons follow the decisive ones. */
export const MAX_FEATURE_REASONS = 4;
export const MULE_REASON_AT = 0.6;

/** P(fraud) -> basis points: floor(p * 10000 + 0.5), clamped to 0-10000 (NaN -> 10000: never a silent ALLOW). */
export function scoreBpsFromProbability(pFraud: number): number {
  if (Number.isNaN(pFraud)) return 10_000;
  const bps = Math.floor(pFraud * 10_000 + 0.5);
  return bps < 0 ? 0 : bps > 10_000 ? 10_000 : bps;
}

/** Decision from the score alone. */
export function decisionForScore(scoreBps: number, s: Pick<TenantRiskSettings, 'reviewAtBps' | 'blockAtBps'>): Decision {
  if (scoreBps >= s.blockAtBps) return 'BLOCK';
  if (scoreBps >= s.reviewAtBps) return 'REVIEW';
  return 'ALLOW';
}

/**
 * The features that would explain a suspicious decision, in a fixed order of how telling each is
 * (graph evidence, then the account-takeover and mule signs, then the weaker ones).
 */
export function featureReasons(f: ArrayLike<number>): ReasonCode[] {
  const at = (name: keyof typeof FEATURE_INDEX): number => f[FEATURE_INDEX[name]]!;
  const reasons: ReasonCode[] = [];
  if (Math.min(at('payer_fraud_distance'), at('payee_fraud_distance')) <= 1) reasons.push(REASON_CODES.CONFIRMED_FRAUD_PROXIMITY);
  if (Math.max(at('payer_mule_score'), at('payee_mule_score')) >= MULE_REASON_AT) reasons.push(REASON_CODES.MULE_PATTERN);
  const ratio = at('amount_to_avg_30d');
  if (at('new_payee') === 1 && ratio >= 3) reasons.push(REASON_CODES.NEW_PAYEE_LARGE_AMOUNT);
  else if (ratio >= 5) reasons.push(REASON_CODES.AMOUNT_ABOVE_PROFILE);
  if (at('device_change') === 1) reasons.push(REASON_CODES.NEW_DEVICE);
  if (at('ip_change') === 1) reasons.push(REASON_CODES.NEW_IP);
  if (at('payer_out_count_1h') >= 3) reasons.push(REASON_CODES.VELOCITY_1H);
  if (at('payee_in_count_24h') >= 5) reasons.push(REASON_CODES.PAYEE_FAN_IN_24H);
  if (at('ring_size') >= 3) reasons.push(REASON_CODES.SHARED_IDENTIFIER_RING);
  if (at('account_age_days') < 30) reasons.push(REASON_CODES.NEW_ACCOUNT);
  if (at('hour_local') < 6) reasons.push(REASON_CODES.UNUSUAL_HOUR);
  return reasons;
}

export type DecideInput = {
  scoreBps: number;
  /** The 22 features in contract order (domain/fraud-features.ts). */
  features: ArrayLike<number>;
  amount: bigint;
  currency: string;
  settings: Pick<TenantRiskSettings, 'reviewAtBps' | 'blockAtBps' | 'rules'>;
};

export type DecisionResult = { decision: Decision; reasons: ReasonCode[] };

export function decide(x: DecideInput): DecisionResult {
  const payerDistance = x.features[FEATURE_INDEX.payer_fraud_distance]!;
  const payeeDistance = x.features[FEATURE_INDEX.payee_fraud_distance]!;
  const decisive: ReasonCode[] = [];
  let decision = decisionForScore(x.scoreBps, x.settings);

  // A confirmed fraudster paying is always BLOCK; paying one is BLOCK unless the tenant turned that off.
  if (payerDistance === 0 || (x.settings.rules.blockConfirmedFraud && payeeDistance === 0)) {
    decision = 'BLOCK';
    decisive.push(payerDistance === 0 ? REASON_CODES.CONFIRMED_FRAUDSTER : REASON_CODES.CONFIRMED_FRAUD_PROXIMITY);
  }
  // Graph evidence is a floor under the model: on an account with little history the model leans on
  // velocity and profile features and can score a planted mule or a fraudster's neighbour low. A
  // mule pattern (payer or payee, score >= MULE_REASON_AT) or a confirmed fraudster one hop away
  // asks for at least a step-up, whatever the score.
  const muleScore = Math.max(x.features[FEATURE_INDEX.payer_mule_score]!, x.features[FEATURE_INDEX.payee_mule_score]!);
  if (muleScore >= MULE_REASON_AT) {
    decision = stricter(decision, 'REVIEW');
    decisive.push(REASON_CODES.MULE_PATTERN);
  }
  if (Math.min(payerDistance, payeeDistance) === 1) {
    decision = stricter(decision, 'REVIEW');
    if (!decisive.includes(REASON_CODES.CONFIRMED_FRAUD_PROXIMITY)) decisive.push(REASON_CODES.CONFIRMED_FRAUD_PROXIMITY);
  }
  const limit = x.settings.rules.blockAboveAmount[x.currency];
  if (limit !== undefined && limit !== null && x.amount > limit) {
    decision = stricter(decision, 'BLOCK');
    decisive.push(REASON_CODES.AMOUNT_ABOVE_TENANT_LIMIT);
  }
  if (x.scoreBps >= x.settings.blockAtBps) decisive.push(REASON_CODES.MODEL_SCORE_HIGH);
  else if (x.scoreBps >= x.settings.reviewAtBps) decisive.push(REASON_CODES.MODEL_SCORE_ELEVATED);

  if (decision === 'ALLOW') return { decision, reasons: [] };
  const extra = featureReasons(x.features).filter((r) => !decisive.includes(r)).slice(0, MAX_FEATURE_REASONS);
  return { decision, reasons: [...decisive, ...extra] };
}
