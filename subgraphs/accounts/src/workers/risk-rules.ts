import type { RiskPort } from '@baas/policy';
import type { AccountsSagaStore } from '../store/saga-store';

/** The outcome of a risk check: a declined outflow ends with failureCode RISK_DECLINED. */
export type RiskDecision = { approved: boolean; reason?: string };

/** What a risk check sees of an outflow (a transfer, an FX execution; later PIX, TED, card authorisations). */
export type RiskSubject = { id: string; kind: string; fromAccountId: string | null; amount: bigint; currency: string; createdAt: Date };

/** A risk check the policy path runs after the limits (workers/outflow-ports.ts adapts it to @baas/policy's RiskPort). */
export type RiskCheck = (outflow: RiskSubject) => Promise<RiskDecision>;

export type RulesRiskOptions = {
  /** Decline a single outflow above this many minor units (any currency); null: no threshold. Default null. */
  maxAmountMinor?: bigint | null;
  /** Decline when the debited account already started more than this many sagas in the minute before. Default 1000. */
  maxPerMinutePerAccount?: number;
};

/**
 * The built-in rules, deliberately simple:
 * 1. AMOUNT_ABOVE_THRESHOLD: the amount is above `maxAmountMinor` (when configured);
 * 2. VELOCITY: the debited account started more than `maxPerMinutePerAccount` sagas (transfers and
 *    FX executions, any state, this one excluded) in the 60 seconds up to this one's creation.
 * Used when no risk subgraph is configured (RISK_URL=off), and for screening FX quotes ahead of time
 * (read only: nothing is scored or stored for a quote). They never answer REVIEW.
 */
export function createRulesRiskCheck(sagas: Pick<AccountsSagaStore, 'countStartedFrom'>, opts: RulesRiskOptions = {}): RiskCheck {
  const maxAmount = opts.maxAmountMinor ?? null;
  const maxPerMinute = opts.maxPerMinutePerAccount ?? 1000;
  return async (outflow) => {
    if (maxAmount !== null && outflow.amount > maxAmount) return { approved: false, reason: 'AMOUNT_ABOVE_THRESHOLD' };
    if (outflow.fromAccountId) {
      const recent = await sagas.countStartedFrom(outflow.fromAccountId, outflow.id, new Date(outflow.createdAt.getTime() - 60_000), outflow.createdAt);
      if (recent > maxPerMinute) return { approved: false, reason: 'VELOCITY' };
    }
    return { approved: true };
  };
}

/** The built-in rules as @baas/policy's RiskPort: approved is ALLOW, declined is BLOCK with the rule's reason. */
export function createRulesRiskPort(sagas: Pick<AccountsSagaStore, 'countStartedFrom'>, opts: RulesRiskOptions = {}): RiskPort {
  const check = createRulesRiskCheck(sagas, opts);
  return {
    async assess(o) {
      const verdict = await check({ id: o.id, kind: o.rail, fromAccountId: o.accountId, amount: o.amount, currency: o.currency, createdAt: o.createdAt });
      return verdict.approved ? { decision: 'ALLOW', reasons: [] } : { decision: 'BLOCK', reasons: verdict.reason ? [verdict.reason] : [] };
    },
  };
}
