import type { Logger } from '@baas/observability';
import type { OrderProcessor } from '../sagas/order-processor';

/**
 * Drives due payment orders in the background: scheduled ones whose time came, retries after a
 * transient failure, orders a crashed process left mid-way (their lease ran out), SENT orders whose
 * rail has not answered (asked with rails.inquire). Never throws; survives store restarts.
 */
export function startOrderRecovery(opts: { processor: Pick<OrderProcessor, 'recoverDue'>; intervalMs: number; logger: Logger }): { stop(): Promise<void> } {
  let stopped = false;
  let running: Promise<void> = Promise.resolve();
  const tick = async () => {
    try {
      while (!stopped && (await opts.processor.recoverDue(50)) === 50);
    } catch (error) {
      opts.logger.warn({ err: (error as Error).message }, 'payment order recovery pass failed; retrying');
    }
  };
  const timer = setInterval(() => {
    running = running.then(tick);
  }, opts.intervalMs);
  timer.unref();
  return {
    async stop() {
      stopped = true;
      clearInterval(timer);
      await running;
    },
  };
}
