import type { Logger } from '@baas/observability';
import { expireHolds, type ExpireHoldsDeps } from '../use-cases/expire-holds';

/**
 * Closes expired card authorisations every `intervalMs` (expireHolds: the ledger's timeout voided their
 * holds; this records it). Safe on every instance: each authorisation is closed under its row lock, once.
 * A failed sweep is logged and the next one retries.
 */
export function startExpireHoldsWorker(deps: ExpireHoldsDeps, opts: { logger: Pick<Logger, 'warn' | 'info'>; intervalMs?: number; batch?: number }): { stop(): Promise<void> } {
  const intervalMs = opts.intervalMs ?? 60_000;
  let running: Promise<void> | null = null;
  let stopped = false;
  const sweep = async () => {
    try {
      let closed: number;
      do {
        closed = await expireHolds(deps, opts.batch ?? 100);
        if (closed > 0) opts.logger.info({ closed }, 'expired card authorisations closed');
      } while (closed === (opts.batch ?? 100) && !stopped);
    } catch (error) {
      opts.logger.warn({ err: error instanceof Error ? error.message.slice(0, 200) : 'unknown' }, 'card hold expiry sweep failed; the next one retries');
    }
  };
  const timer = setInterval(() => {
    if (running || stopped) return;
    running = sweep().finally(() => void (running = null));
  }, intervalMs);
  timer.unref();
  return {
    async stop() {
      stopped = true;
      clearInterval(timer);
      await running;
    },
  };
}
