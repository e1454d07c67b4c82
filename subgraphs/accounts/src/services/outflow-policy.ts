import type { LimitsPort, LimitVerdict, Outflow, PolicyPorts, RiskPort, StandingPort } from '@baas/policy';
import type { IdentityDirectory } from '@baas/server';
import { checkLimits, localDate } from '../domain/limits';
import type { PrismaClient } from '../generated/prisma/client';
import { customerScope, tenantLimits, tenantScope } from './limits-store';
import { createRulesRiskCheck, type RiskCheck } from './risk';
import type { TransferSagaRow } from './types';

/**
 * The accounts subgraph's adapters for @baas/policy's outflow path (step-up, limits, risk), used by
 * transfers and FX; the payments and cards subgraphs provide theirs or call accounts.
 */

let riskOverride: RiskCheck | null = null;
/** Replaces the risk check of every outflow (null: back to the built-in rules of services/risk.ts). */
export function setRiskCheck(check: RiskCheck | null): void {
  riskOverride = check;
}

/** A saga (transfer, FX execution) as the policy sees it. */
export function sagaOutflow(saga: TransferSagaRow): Outflow {
  return {
    rail: saga.kind,
    id: saga.id,
    tenantId: saga.tenantId,
    customerId: saga.customerId,
    accountId: saga.fromAccountId!,
    amount: saga.amount,
    currency: saga.currency,
    createdAt: saga.createdAt,
  };
}

/** The risk port: the override (tests, the risk subgraph's client later) or the built-in rules. */
export function accountsRiskPort(db: PrismaClient): RiskPort {
  return {
    assess: (outflow) =>
      (riskOverride ?? createRulesRiskCheck(db))({
        id: outflow.id,
        kind: outflow.rail,
        fromAccountId: outflow.accountId,
        amount: outflow.amount,
        currency: outflow.currency,
        createdAt: outflow.createdAt,
      }),
  };
}

/**
 * Read-only limits check: the per-transaction limit and what is left of today's per-customer and
 * per-tenant limits (domain/limits.ts checkLimits over accounts.daily_usage).
 */
export async function checkOutflowLimits(db: PrismaClient, outflow: Outflow, now = new Date()): Promise<LimitVerdict> {
  const limits = await tenantLimits(db, outflow.tenantId, outflow.currency);
  if (limits.perTransaction == null && limits.perDayCustomer == null && limits.perDayTenant == null) return { ok: true };
  const day = localDate(now);
  const rows = await db.dailyUsage.findMany({
    where: { currency: outflow.currency, day, scope: { in: [customerScope(outflow.customerId), tenantScope(outflow.tenantId)] } },
  });
  const used = (scope: string) => rows.find((r) => r.scope === scope)?.amount ?? 0n;
  const result = checkLimits({
    amount: outflow.amount,
    currency: outflow.currency,
    usedToday: { customer: used(customerScope(outflow.customerId)), tenant: used(tenantScope(outflow.tenantId)) },
    limits,
  });
  return result.ok ? { ok: true } : { ok: false, limit: result.refusal.limit };
}

/** The standing port: identity's word on the paying customer and its tenant (the directory's short cache). */
export function standingPort(directory: IdentityDirectory): StandingPort {
  return {
    async standing(tenantId, customerId) {
      const s = await directory.customerStanding(tenantId, customerId);
      return s ? { customerActive: s.customerStatus === 'ACTIVE', tenantActive: s.tenantStatus === 'ACTIVE' } : null;
    },
  };
}

/** Ports for a read-only screening (FX quotes): reserve is never called there. */
export function screeningPorts(db: PrismaClient, directory: IdentityDirectory): PolicyPorts & { standing: StandingPort } {
  return {
    standing: standingPort(directory),
    limits: {
      check: (outflow) => checkOutflowLimits(db, outflow),
      reserve: () => Promise.reject(new Error('screening never reserves')),
    },
    risk: accountsRiskPort(db),
  };
}

/** Ports for a saga: `reserve` is the saga's own atomic reservation (limits-store reserveUsage under its lease). */
export function sagaPorts(db: PrismaClient, reserve: LimitsPort['reserve']): PolicyPorts {
  return { limits: { check: (outflow) => checkOutflowLimits(db, outflow), reserve }, risk: accountsRiskPort(db) };
}
