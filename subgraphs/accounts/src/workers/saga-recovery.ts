import { startSagaRecovery, type SagaEngine, type SagaLogger, type SagaRecovery } from '@baas/saga';
import type { SagaRow } from '../store/saga-store';

/**
 * Crash recovery of the accounts sagas (transfers, fundings, FX executions): once at start and then
 * every SAGA_RECOVERY_INTERVAL_MS, claims the unfinished sagas whose lease (or retry back-off) has
 * run out and drives each from its persisted step (@baas/saga's recovery worker over the engine the
 * composition root built). Every step is idempotent (deterministic ledger ids, usage reserved and
 * released together with the step change) and the lease, fenced by `attempts`, keeps two workers
 * off one saga.
 */
export function startAccountsSagaRecovery(opts: { engine: SagaEngine<SagaRow>; config: { SAGA_RECOVERY_INTERVAL_MS: number }; logger: SagaLogger }): SagaRecovery {
  return startSagaRecovery({ engine: opts.engine, intervalMs: opts.config.SAGA_RECOVERY_INTERVAL_MS, logger: opts.logger });
}
