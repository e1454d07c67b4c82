import type { SagaEngine, SagaLogger } from './engine';
import type { SagaRecord } from './types';

export type SagaRecovery = { stop(): Promise<void>; runOnce(): Promise<number> };

/**
 * Crash recovery: once at start and then every `intervalMs`, claims unfinished sagas whose lease (or
 * back-off) has run out and drives each from its persisted step. Every step is idempotent and the
 * fenced lease keeps two workers off one saga, so any number of instances may run it. stop() waits
 * for the pass in progress (sagas abandon between steps once the engine's isRunning() is false).
 */
export function startSagaRecovery<R extends SagaRecord>(opts: { engine: SagaEngine<R>; intervalMs: number; batchSize?: number; logger: SagaLogger }): SagaRecovery {
  const batchSize = opts.batchSize ?? 50;
  let stopped = false;
  let current: Promise<number> | null = null;

  const runOnce = () => {
    if (!current) {
      current = opts.engine
        .recoverDue(batchSize)
        .then((resumed) => {
          if (resumed) opts.logger.info({ resumed }, 'saga recovery pass');
          return resumed;
        })
        .catch((error) => {
          opts.logger.warn({ err: error }, 'saga recovery pass failed');
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
  }, opts.intervalMs);
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
