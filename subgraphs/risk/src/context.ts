import { createByIdLoader, type IdentityDirectory, type SubgraphContext } from '@baas/server';
import type { ScoreTransactionDeps } from './use-cases/score-transaction';
import type { AlertRow, AlertStore } from './store/alert-store';
import type { CreditScorecardModel } from './store/credit-scorecard-store';
import type { RiskAssessmentStore, StoredAssessment } from './store/risk-assessment-store';
import type { TenantRiskSettingsStore } from './store/tenant-risk-settings-store';

/** The per-request loaders of the risk subgraph: one batched read per entity per request. */
export function createRiskLoaders(stores: { assessments: Pick<RiskAssessmentStore, 'findFullByIds'>; alerts: Pick<AlertStore, 'findByIds'> }) {
  return {
    assessment: createByIdLoader<string, StoredAssessment>((ids) => stores.assessments.findFullByIds(ids)),
    alert: createByIdLoader<string, AlertRow>((ids) => stores.alerts.findByIds(ids)),
  };
}

export type RiskLoaders = ReturnType<typeof createRiskLoaders>;

/** What the composition root builds once and every request shares: the stores and ports the use cases take. */
export type RiskDeps = {
  assessments: RiskAssessmentStore;
  alerts: AlertStore;
  settings: TenantRiskSettingsStore;
  scoring: ScoreTransactionDeps;
  directory: Pick<IdentityDirectory, 'customerStanding' | 'requireKnownTenant'>;
  credit: {
    /** The scorecard's raw row (null: not known), from store/credit-inputs-store.ts. */
    inputs: { read(q: { tenantId: string; customerId: string; now: Date }): Promise<(number | null)[]> };
    model: CreditScorecardModel;
  };
  markConfirmedFraud(m: { tenantId: string; customerId?: string; accountId?: string }): Promise<void>;
};

/** What the risk resolvers receive: the request's identity, its loaders and the shared deps. */
export type RiskContext = SubgraphContext & { loaders: RiskLoaders; risk: RiskDeps };
