import { EventEmitter } from 'node:events';
import { badInput } from '@baas/errors';
import { isFinalStatus, type SagaRecord } from './types';

/** The longest a mutation may wait for its saga's outcome (`waitMs`). */
export const MAX_WAIT_MS = 10_000;

/** The `waitMs` argument: absent is 0 (no wait); 0..MAX_WAIT_MS, else BAD_USER_INPUT. */
export function waitArg(value: number | null | undefined): number {
  if (value === null || value === undefined) return 0;
  if (!Number.isInteger(value) || value < 0 || value > MAX_WAIT_MS) throw badInput(`waitMs must be between 0 and ${MAX_WAIT_MS}.`, { field: 'waitMs', limit: MAX_WAIT_MS });
  return value;
}

/**
 * Waiting for a saga's outcome. An outcome written in this process (the engine's final writes call
 * `notify`) wakes the waiter at once; one written by another instance is seen by a bounded poll
 * (`firstPollMs` doubling to `maxPollMs`), never a tight loop.
 */
export type SagaWaiter = {
  notify(id: string): void;
  /** Waits at most `waitMs` for `saga` to be final; returns it as it is then (final, or where it stands at the deadline). */
  wait<R extends SagaRecord>(saga: R, waitMs: number, reread: (id: string) => Promise<R | null>): Promise<R>;
};

export function createSagaWaiter(opts: { firstPollMs?: number; maxPollMs?: number } = {}): SagaWaiter {
  const firstPollMs = opts.firstPollMs ?? 50;
  const maxPollMs = opts.maxPollMs ?? 1_000;
  const finished = new EventEmitter();
  finished.setMaxListeners(0);
  return {
    notify(id) {
      finished.emit(id);
    },
    async wait(saga, waitMs, reread) {
      let current = saga;
      if (waitMs <= 0 || isFinalStatus(current.status)) return current;
      const deadline = Date.now() + waitMs;
      let delay = firstPollMs;
      for (;;) {
        const remaining = deadline - Date.now();
        if (remaining <= 0) return current;
        await new Promise<void>((resolve) => {
          const wake = () => {
            clearTimeout(timer);
            finished.off(current.id, wake);
            resolve();
          };
          const timer = setTimeout(wake, Math.min(delay, remaining));
          finished.once(current.id, wake);
        });
        delay = Math.min(delay * 2, maxPollMs);
        current = (await reread(current.id)) ?? current;
        if (isFinalStatus(current.status)) return current;
      }
    },
  };
}
