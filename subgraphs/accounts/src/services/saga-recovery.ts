import type { SagaDeps } from '../runtime';
import { driveSaga } from './transfer-saga';

/**
 * Crash recovery: once at start and then every SAGA_RECOVERY_INTERVAL_MS, picks unfinished sagas
 * (PENDING or HELD) whose lease has expired (or was never taken) and drives each from its step
 * (TRANSFER and FUNDING here; other kinds such as FX through registerSagaHandler). Every step is
 * idempotent (deterministic ledger ids, usage reserved and released together with the step change),
 * and the lease (SAGA_LEASE_SECONDS, fenced by `attempts`) keeps two workers off one saga.
 * stop() waits for the pass in progress; sagas abandon between steps once deps.isRunning() is false.
 */
export function startSagaRecovery(deps: SagaDeps, opts: { batchSize?: number } = {}): { stop(): Promise<void>; runOnce(): Promise<number> } {
  const batchSize = opts.batchSize ?? 50;
  let stopped = false;
  let current: Promise<number> | null = null;

  async function pass(): Promise<number> {
    const due = await deps.db.$queryRaw<{ id: string }[]>`
      SELECT id FROM accounts.transfer_saga
      WHERE state IN ('PENDING', 'HELD') AND (lease_until IS NULL OR lease_until < now())
      ORDER BY updated_at LIMIT ${batchSize}`;
    let resumed = 0;
    for (const { id } of due) {
      if (stopped || !deps.isRunning()) break;
      const before = await driveSaga(deps, id);
      if (before) resumed++;
    }
    if (resumed) deps.logger.info({ resumed }, 'saga recovery pass');
    return resumed;
  }

  const runOnce = () => {
    if (!current) {
      current = pass()
        .catch((error) => {
          deps.logger.warn({ err: error }, 'saga recovery pass failed');
          return 0;
        })
        .finally(() => {
          current = null;
        });
    }
    return current;
  };

  void runOnce();
  const timer = setInterval(() => {
    if (!stopped) void runOnce();
  }, deps.config.SAGA_RECOVERY_INTERVAL_MS);
  timer.unref();

  return {
    runOnce,
    async stop() {
      stopped = true;
      clearInterval(timer);
      await current;
    },
  };
}
