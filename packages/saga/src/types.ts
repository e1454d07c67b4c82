/**
 * Where a saga stands. RUNNING: its steps go forward (`step` is the last one done, null before the
 * first). COMPENSATING: a step failed for good; the compensations of the steps done run, last first.
 * The three final states: SUCCEEDED (every step ran), FAILED (a step failed with nothing done to
 * undo: `step` is the step that failed), COMPENSATED (a step failed and what ran was undone).
 */
export type SagaStatus = 'RUNNING' | 'COMPENSATING' | 'SUCCEEDED' | 'FAILED' | 'COMPENSATED';

export const FINAL_STATUSES: readonly SagaStatus[] = ['SUCCEEDED', 'FAILED', 'COMPENSATED'];
export const isFinalStatus = (status: SagaStatus): boolean => FINAL_STATUSES.includes(status);

/**
 * What the engine reads of a persisted saga; a store's record carries its own data besides. `fence`
 * is the lease token: bumped by every claim, and every write of the saga names it, so a worker whose
 * lease was taken over writes nothing.
 */
export interface SagaRecord {
  readonly id: string;
  readonly kind: string;
  readonly status: SagaStatus;
  readonly step: string | null;
  readonly failureCode: string | null;
  readonly fence: number;
}

/** A change the engine writes under the saga's fence (unset fields keep their value). */
export type SagaChange = { status?: SagaStatus; step?: string | null; failureCode?: string | null };

/**
 * The store port: the saga table of a subgraph. Every write is fenced: it applies only while the
 * row's fence equals `saga.fence`, and answers null (nothing written) otherwise.
 */
export interface SagaStore<R extends SagaRecord> {
  find(id: string): Promise<R | null>;
  /**
   * Takes the lease on an unfinished saga nobody holds (no lease, or its lease or back-off time is
   * past): bumps the fence and leases it for `leaseMs`. Null when another worker holds it, it is
   * finished, not yet due, or unknown.
   */
  claim(id: string, leaseMs: number): Promise<R | null>;
  /** Writes `change` and extends the lease by `leaseMs` (drops it when the status is final); returns the saga as written. */
  save(saga: R, change: SagaChange, leaseMs: number): Promise<R | null>;
  /** Extends the lease; returns the saga as stored, null when the lease was lost or the saga is finished. */
  renew(saga: R, leaseMs: number): Promise<R | null>;
  /** Gives the lease up; nobody claims the saga before `retryAt` (the next attempt time; null: at once). */
  release(saga: R, retryAt: Date | null): Promise<void>;
  /** Ids of unfinished sagas whose lease (or back-off) is past, oldest first. */
  due(limit: number): Promise<string[]>;
}

/**
 * What a step (or a compensation) answers.
 * - done: it succeeded. `saga`: the record as the step itself wrote it under the fence (atomically
 *   with its own effect); the engine then writes nothing for it.
 * - refused: a business refusal (insufficient funds, a limit, risk): permanent, the saga fails
 *   with `code` and what ran is compensated. `saga` as for done.
 * - lost: the step found its lease taken over (a fenced write of its own answered null).
 * - completed (compensations only): undoing found that the forward path went through after all
 *   (a hold that was posted): the saga ends SUCCEEDED.
 */
export type StepResult<R> =
  | { readonly outcome: 'done'; readonly saga?: R }
  | { readonly outcome: 'refused'; readonly code: string; readonly saga?: R }
  | { readonly outcome: 'lost' }
  | { readonly outcome: 'completed' };

export const done = <R>(saga?: R | null): StepResult<R> => (saga === null ? { outcome: 'lost' } : saga === undefined ? { outcome: 'done' } : { outcome: 'done', saga });
export const refused = <R>(code: string, saga?: R | null): StepResult<R> => (saga === null ? { outcome: 'lost' } : saga === undefined ? { outcome: 'refused', code } : { outcome: 'refused', code, saga });
export const leaseLost = <R>(): StepResult<R> => ({ outcome: 'lost' });
export const completedAfterAll = <R>(): StepResult<R> => ({ outcome: 'completed' });

/**
 * One step: `run` does it, `compensate` undoes it. Both must be idempotent (a crash repeats them):
 * deterministic ids for external writes, conditional updates for local ones.
 */
export type SagaStep<R extends SagaRecord> = {
  readonly name: string;
  run(saga: R): Promise<StepResult<R>>;
  compensate?(saga: R): Promise<StepResult<R>>;
  /**
   * false: its completion is not written (it is cheap and safe to repeat, e.g. asking risk): a saga
   * resumed after it runs it again. Default true.
   */
  readonly checkpoint?: boolean;
};

/** A saga kind: its ordered steps, and what to do once it ends failed (after the compensations). */
export type SagaDefinition<R extends SagaRecord> = {
  readonly kind: string;
  readonly steps: readonly SagaStep<R>[];
  /** Runs (idempotently) before the failed outcome is written: e.g. giving back a claimed quote. */
  onFailed?(saga: R): Promise<void>;
};
