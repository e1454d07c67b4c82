import { createSagaEngine, type SagaEngine, type SagaStore } from '@baas/saga';
import type { SagaRow } from '../store/saga-store';
import { fundingSaga } from './funding-saga';
import { fxSaga } from './fx-saga';
import { accountsSagaFailures } from './saga-failures';
import type { AccountsSagaDeps } from './saga-deps';
import { transferSaga } from './transfer-saga';

export type AccountsSagaConfig = {
  SAGA_LEASE_SECONDS: number;
  SAGA_STEP_DELAY_MS: number;
  SAGA_RETRY_BASE_MS: number;
  SAGA_RETRY_MAX_MS: number;
};

/**
 * The saga engine of the accounts subgraph, driving its three kinds (TRANSFER, FUNDING, FX) over
 * the saga store, with the ledger's failures classified (sagas/saga-failures.ts). `isRunning` turns
 * false when the process stops: a saga is abandoned between steps, as a crash would, and recovery
 * finishes it.
 */
export function createAccountsSagaEngine(deps: AccountsSagaDeps & { store: SagaStore<SagaRow>; config: AccountsSagaConfig; isRunning(): boolean }): SagaEngine<SagaRow> {
  return createSagaEngine({
    store: deps.store,
    definitions: [transferSaga(deps), fundingSaga(deps), fxSaga(deps)],
    leaseMs: deps.config.SAGA_LEASE_SECONDS * 1000,
    failures: accountsSagaFailures,
    retry: { baseMs: deps.config.SAGA_RETRY_BASE_MS, maxMs: deps.config.SAGA_RETRY_MAX_MS },
    pauseBetweenStepsMs: deps.config.SAGA_STEP_DELAY_MS,
    isRunning: deps.isRunning,
    logger: deps.logger,
  });
}
