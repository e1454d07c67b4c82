import type { Logger } from '@baas/observability';
import { rescreenCustomers, type RescreenDeps, type RescreenResult } from './rescreen-customers';

export type RescreenWatcher = {
  /** Runs a check now (after an import in this process) instead of at the next interval. */
  wake(): void;
  /** Finishes the rescreen in progress (if any) and stops. */
  stop(): Promise<void>;
};

/**
 * Rescreens when the active list versions move, whoever imported them (the operator's
 * import-sanctions command runs in another process): every `intervalMs` it calls rescreenCustomers,
 * which does nothing when the active versions' run has finished. Several instances may run one
 * version at once: review and event ids make the second pass add nothing (double work only).
 * Never throws; a failed run is retried at the next interval, resuming after its last page.
 */
export function startRescreenWatcher(deps: RescreenDeps, opts: { intervalMs: number; logger: Logger; onRun?: (r: RescreenResult) => void }): RescreenWatcher {
  const log = opts.logger.child({ component: 'kyc-rescreen' });
  let stopping = false;
  let timer: NodeJS.Timeout | null = null;
  let running: Promise<void> = Promise.resolve();
  let busy = false;

  const tick = () => {
    if (stopping || busy) return;
    busy = true;
    if (timer) clearTimeout(timer);
    running = rescreenCustomers({ ...deps, logger: deps.logger ?? opts.logger })
      .then((r) => opts.onRun?.(r))
      .catch((err: unknown) => log.warn({ err: err instanceof Error ? { name: err.name, message: err.message } : String(err) }, 'kyc rescreen failed; retrying at the next interval'))
      .finally(() => {
        busy = false;
        if (!stopping) timer = setTimeout(tick, opts.intervalMs);
      });
  };
  timer = setTimeout(tick, 0);

  return {
    wake: () => tick(),
    async stop() {
      stopping = true;
      if (timer) clearTimeout(timer);
      await running;
    },
  };
}
