import type { LimitsPort, RiskPort } from '@baas/policy';
import { localDateOf } from '../domain/business-days';
import { effectivePixLimits, pixPeriod, type PixPeriod } from '../domain/pix-limits';
import type { PaymentOrderRow } from '../store/payment-order-store';
import type { PixLimitStore } from '../store/pix-limit-store';
import { orderOutflow } from './order-outflow';
import type { OrderPolicy } from './order-processor';

type Usage = { day: string; period: PixPeriod; amount: string };

/**
 * The policy path where money is committed, for payments out (refunds and MED returns skip it):
 * the customer's PIX limit of the period (daytime or night-time, São Paulo time), reserved for the
 * São Paulo day in one conditional statement, then risk under the order's id (the same assessment
 * as at request time). A refused reservation is DENIED LIMIT_EXCEEDED; BLOCK is RISK_DECLINED (the
 * reservation given back). Other rails have no payments-side limit yet (accounts' daily transfer
 * limits cover book transfers; a TED or wire limit per customer would go here).
 */
/**
 * The PIX limit checked read only at request time (@baas/policy's LimitsPort.check): what is left of
 * the period today against the amount, so an order over it is refused with LIMIT_EXCEEDED
 * (details.limit PIX_DAYTIME or PIX_NIGHTTIME) before anything is written. The reservation in
 * approve() still decides, atomically, between requests that race.
 */
export function createPixLimitCheck(deps: { limits: Pick<PixLimitStore, 'history' | 'used'>; defaults: Record<PixPeriod, bigint>; increaseDelayMs: number }): Pick<LimitsPort, 'check'> {
  return {
    async check(outflow) {
      if (outflow.rail !== 'PIX') return { ok: true };
      const now = new Date();
      const period = pixPeriod(now);
      const limits = effectivePixLimits(await deps.limits.history(outflow.customerId), now, { increaseDelayMs: deps.increaseDelayMs });
      const limit = limits[period].amount ?? deps.defaults[period];
      const used = await deps.limits.used(outflow.customerId, localDateOf(now), period);
      return used + outflow.amount <= limit ? { ok: true } : { ok: false, limit: `PIX_${period}` };
    },
  };
}

export function createOrderPolicy(deps: { limits: Pick<PixLimitStore, 'history' | 'reserve' | 'release'>; risk: RiskPort; defaults: Record<PixPeriod, bigint>; increaseDelayMs: number }): OrderPolicy {
  return {
    async approve(row: PaymentOrderRow) {
      let usage: Usage | null = null;
      if (row.rail === 'PIX') {
        const now = new Date();
        const period = pixPeriod(now);
        const limits = effectivePixLimits(await deps.limits.history(row.customerId), now, { increaseDelayMs: deps.increaseDelayMs });
        const limit = limits[period].amount ?? deps.defaults[period];
        const day = localDateOf(now);
        if (!(await deps.limits.reserve(row.customerId, day, period, row.amount, limit))) return { ok: false, code: 'LIMIT_EXCEEDED' };
        usage = { day, period, amount: row.amount.toString() };
      }
      const verdict = await deps.risk.assess(orderOutflow(row));
      if (verdict.decision === 'BLOCK') {
        if (usage) await deps.limits.release(row.customerId, usage.day, usage.period, BigInt(usage.amount));
        return { ok: false, code: 'RISK_DECLINED' };
      }
      return { ok: true, ...(usage ? { railData: { limitUsage: usage } } : {}) };
    },
    async release(row: PaymentOrderRow) {
      const usage = (row.railData as { limitUsage?: Usage } | null)?.limitUsage;
      if (usage) await deps.limits.release(row.customerId, usage.day, usage.period, BigInt(usage.amount));
    },
  };
}
