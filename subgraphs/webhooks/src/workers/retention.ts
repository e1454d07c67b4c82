import type { Logger } from '@baas/observability';
import type { WebhookDeliveryStore } from '../store/webhook-delivery-store';

/**
 * Deletes events and finished deliveries older than `retentionDays` (config WEBHOOKS_RETENTION_DAYS),
 * every `intervalMs`, in batches: the delivery log and replays reach that far back. A store away:
 * logged, tried again next time.
 */
export function startRetention(opts: { store: Pick<WebhookDeliveryStore, 'prune'>; retentionDays: number; intervalMs?: number; logger: Logger; now?: () => Date }): { stop(): Promise<void> } {
  const log = opts.logger.child({ worker: 'webhook-retention' });
  let running: Promise<void> | null = null;
  const run = async () => {
    const before = new Date((opts.now ?? (() => new Date()))().getTime() - opts.retentionDays * 24 * 60 * 60_000);
    let deleted = 0;
    for (let n = 1000; n === 1000; ) {
      n = await opts.store.prune(before, 1000);
      deleted += n;
    }
    if (deleted) log.info({ deleted, before: before.toISOString() }, 'pruned webhook deliveries');
  };
  const tick = () => {
    running ??= run()
      .catch((err: unknown) => log.warn({ err }, 'pruning webhook deliveries failed; trying again later'))
      .finally(() => (running = null));
  };
  const timer = setInterval(tick, opts.intervalMs ?? 60 * 60_000);
  timer.unref();
  tick();
  return {
    async stop() {
      clearInterval(timer);
      await running;
    },
  };
}
