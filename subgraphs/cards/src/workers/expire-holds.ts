import type { Logger } from '@baas/observability';
import { expireHolds, type ExpireHoldsDeps } from '../use-cases/expire-holds';
import { expireStaleAuthorizations, type StaleAuthorizationDeps } from '../use-cases/expire-stale-authorizations';

/**
 * Every `intervalMs`: closes expired card authorisations (expireHolds: the ledger's timeout voided their
 * holds; this records it), and declines claims whose decision never came (expireStaleAuthorizations).
 * Safe on every instance: each authorisation changes under its row lock or a PENDING-only update, once.
 * A failed sweep is logged and the next one retries.
 */
export function startExpireHoldsWorker(deps: ExpireHoldsDeps & StaleAuthorizationDeps, opts: { logger: Pick<Logger, 'warn' | 'info'>; intervalMs?: number; batch?: number }): { stop(): Promise<void> } {
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
      const declined = await expireStaleAuthorizations(deps, opts.batch ?? 100);
      if (declined > 0) opts.logger.warn({ declined }, 'card authorisations left undecided were declined 96');
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
