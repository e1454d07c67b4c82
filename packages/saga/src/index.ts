export type { SagaChange, SagaDefinition, SagaRecord, SagaStatus, SagaStep, SagaStore, StepResult } from './types';
export { completedAfterAll, done, FINAL_STATUSES, isFinalStatus, leaseLost, refused } from './types';
export { createFailureClassifier, isInfrastructureFailure, retryDelayMs, type FailureClassifier, type FailureRules } from './failures';
export { createSagaEngine, type SagaEngine, type SagaEngineOptions, type SagaLogger } from './engine';
export { createSagaWaiter, MAX_WAIT_MS, waitArg, type SagaWaiter } from './wait';
export { startSagaRecovery, type SagaRecovery } from './recovery';
