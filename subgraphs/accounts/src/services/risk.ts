import type { PrismaClient } from '../generated/prisma/client';
import type { TransferSagaRow } from './types';

/** The outcome of a risk check: a declined transfer is voided with failureCode RISK_DECLINED. */
export type RiskDecision = { approved: boolean; reason?: string };

/** A risk check the transfer saga runs while the money is held (after HOLD, before LIMITS). */
export type RiskCheck = (saga: TransferSagaRow) => Promise<RiskDecision>;

export type RulesRiskOptions = {
  /** Decline a single transfer above this many minor units (any currency); null: no threshold. Default null. */
  maxAmountMinor?: bigint | null;
  /** Decline when the debited account already started more than this many transfers in the minute before. Default 1000. */
  maxPerMinutePerAccount?: number;
};

/**
 * The built-in rules, deliberately simple:
 * 1. AMOUNT_ABOVE_THRESHOLD: the amount is above `maxAmountMinor` (when configured);
 * 2. VELOCITY: the debited account started more than `maxPerMinutePerAccount` transfer sagas
 *    (any state, this one excluded) in the 60 seconds up to this one's creation.
 * Anything smarter (the risk subgraph's scoring) plugs in as another RiskCheck (setRiskCheck in transfer-saga).
 */
export function createRulesRiskCheck(db: PrismaClient, opts: RulesRiskOptions = {}): RiskCheck {
  const maxAmount = opts.maxAmountMinor ?? null;
  const maxPerMinute = opts.maxPerMinutePerAccount ?? 1000;
  return async (saga) => {
    if (maxAmount !== null && saga.amount > maxAmount) return { approved: false, reason: 'AMOUNT_ABOVE_THRESHOLD' };
    if (saga.fromAccountId) {
      const recent = await db.transferSaga.count({
        where: {
          fromAccountId: saga.fromAccountId,
          id: { not: saga.id },
          createdAt: { gte: new Date(saga.createdAt.getTime() - 60_000), lte: saga.createdAt },
        },
      });
      if (recent > maxPerMinute) return { approved: false, reason: 'VELOCITY' };
    }
    return { approved: true };
  };
}
