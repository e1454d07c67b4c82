import type { LimitVerdict, Outflow, PolicyPorts, RiskPort, StandingPort } from '@baas/policy';
import type { IdentityDirectory } from '@baas/server';
import type { PrismaClient } from '../generated/prisma/client';
import type { SagaLimits } from '../sagas/saga-deps';
import { checkUsageLimits } from '../store/limits-store';
import type { AccountsSagaStore } from '../store/saga-store';
import { tenantLimits } from '../store/tenant-settings-store';
import { createRulesRiskCheck, type RiskCheck } from './risk-rules';

/**
 * The accounts subgraph's adapters for @baas/policy's outflow path (standing, limits, risk), built
 * once by the composition root and passed to the use cases and sagas (transfers and FX; the
 * payments and cards subgraphs provide theirs or call accounts). `risk` replaces the built-in rules
 * (the risk subgraph's client, later).
 */
export type OutflowPorts = {
  standing: StandingPort;
  /** For screening ahead of time (FX quotes): read only; reserve is never called there. */
  screening: PolicyPorts & { standing: StandingPort };
  /** For sagas: the atomic daily reservation under the saga's lease, and its release. */
  sagaLimits: SagaLimits;
  risk: RiskPort;
};

export function createOutflowPorts(opts: { db: PrismaClient; sagas: AccountsSagaStore; directory: IdentityDirectory; leaseMs: number; risk?: RiskCheck }): OutflowPorts {
  const { db, sagas } = opts;
  const check = createRulesRiskCheck(sagas);
  const riskCheck = opts.risk ?? check;
  const risk: RiskPort = {
    assess: (o) => riskCheck({ id: o.id, kind: o.rail, fromAccountId: o.accountId, amount: o.amount, currency: o.currency, createdAt: o.createdAt }),
  };
  const standing: StandingPort = {
    async standing(tenantId, customerId) {
      const s = await opts.directory.customerStanding(tenantId, customerId);
      return s ? { customerActive: s.customerStatus === 'ACTIVE', tenantActive: s.tenantStatus === 'ACTIVE' } : null;
    },
  };
  /** Read only: the per-transaction limit and what is left of today's per-customer and per-tenant limits. */
  async function checkLimits(outflow: Outflow): Promise<LimitVerdict> {
    const result = await checkUsageLimits(db, outflow, await tenantLimits(db, outflow.tenantId, outflow.currency));
    return result.ok ? { ok: true } : { ok: false, limit: result.refusal.limit };
  }
  return {
    standing,
    risk,
    screening: { standing, risk, limits: { check: checkLimits, reserve: () => Promise.reject(new Error('screening never reserves')) } },
    sagaLimits: {
      // Per transaction and per day, by the one limits rule, in the reservation's statement.
      reserve: async (saga) => sagas.reserveUsage(saga, await tenantLimits(db, saga.tenantId, saga.currency), opts.leaseMs),
      release: (saga) => sagas.releaseUsage(saga),
    },
  };
}
