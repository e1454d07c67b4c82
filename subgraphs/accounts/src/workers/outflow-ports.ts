import { createRiskPort, type LimitVerdict, type Outflow, type PolicyPorts, type RiskPort, type StandingPort } from '@baas/policy';
import type { IdentityDirectory } from '@baas/server';
import type { RiskClient } from '../clients/risk/client';
import type { PrismaClient } from '../generated/prisma/client';
import type { SagaLimits } from '../sagas/saga-deps';
import type { AccountRow } from '../store/account-store';
import { checkUsageLimits } from '../store/limits-store';
import type { AccountsSagaStore } from '../store/saga-store';
import { tenantLimits, type TenantSettingsStore } from '../store/tenant-settings-store';
import { createRulesRiskPort } from './risk-rules';

/**
 * The accounts subgraph's adapters for @baas/policy's outflow path (standing, limits, risk), built
 * once by the composition root and passed to the use cases and sagas (transfers and FX; the
 * payments and cards subgraphs provide theirs or call accounts).
 */
export type OutflowPorts = {
  standing: StandingPort;
  /** For screening ahead of time (FX quotes): read only; reserve is never called there, and risk is the built-in rules (a quote is no movement: nothing is scored or stored for it). */
  screening: PolicyPorts & { standing: StandingPort };
  /** For sagas: the atomic daily reservation under the saga's lease, and its release. */
  sagaLimits: SagaLimits;
  /** At request time (transfer, FX execution) and in the sagas' RISK step: the risk subgraph, or the built-in rules. */
  risk: RiskPort;
};

export type OutflowPortsOptions = {
  db: PrismaClient;
  sagas: AccountsSagaStore;
  directory: IdentityDirectory;
  leaseMs: number;
  /** The risk subgraph's client (RISK_URL); null: the built-in rules decide (workers/risk-rules.ts). */
  riskClient: RiskClient | null;
  riskTimeoutMs: number;
  /** Remember risk's verdict for the saga's repeat (default true). */
  memoVerdicts?: boolean;
  tenantSettings: Pick<TenantSettingsStore, 'riskFailMode'>;
  accounts: { findByIds(ids: readonly string[]): Promise<AccountRow[]> };
  logger: { warn(obj: Record<string, unknown>, msg: string): void };
  metrics?: { unavailable(labels: { rail: string; failMode: 'OPEN' | 'CLOSED' }): void };
  /** Replaces the risk port altogether (tests). */
  risk?: RiskPort;
};

/** The outflow with the ledger accounts of payer and payee (the risk graph knows flows by ledger account). */
async function withLedgerAccounts(accounts: OutflowPortsOptions['accounts'], outflow: Outflow): Promise<Outflow> {
  if (outflow.payerLedgerAccountId !== undefined && outflow.payeeLedgerAccountId !== undefined) return outflow;
  const ids = [outflow.accountId, ...(outflow.payeeAccountId ? [outflow.payeeAccountId] : [])];
  const rows = await accounts.findByIds(ids);
  const ledgerOf = (id: string | null | undefined) => (id ? (rows.find((r) => r.id === id)?.ledgerAccountId ?? null) : null);
  return { ...outflow, payerLedgerAccountId: ledgerOf(outflow.accountId), payeeLedgerAccountId: ledgerOf(outflow.payeeAccountId) };
}

export function createOutflowPorts(opts: OutflowPortsOptions): OutflowPorts {
  const { db, sagas } = opts;
  const rules = createRulesRiskPort(sagas);
  const client = opts.riskClient;
  const scored = client ? async (outflow: Outflow) => client.score(await withLedgerAccounts(opts.accounts, outflow)) : null;
  const risk: RiskPort =
    opts.risk ??
    (scored
      ? createRiskPort({
          score: scored,
          failMode: (tenantId) => opts.tenantSettings.riskFailMode(tenantId),
          timeoutMs: opts.riskTimeoutMs,
          logger: opts.logger,
          // The saga's RISK step repeats the request's question under the same id: answered from memory.
          rememberVerdicts: opts.memoVerdicts !== false,
          ...(opts.metrics ? { metrics: opts.metrics } : {}),
        })
      : rules);
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
    screening: { standing, risk: opts.risk ?? rules, limits: { check: checkLimits, reserve: () => Promise.reject(new Error('screening never reserves')) } },
    sagaLimits: {
      // Per transaction and per day, by the one limits rule, in the reservation's statement.
      reserve: async (saga) => sagas.reserveUsage(saga, await tenantLimits(db, saga.tenantId, saga.currency), opts.leaseMs),
      release: (saga) => sagas.releaseUsage(saga),
    },
  };
}
