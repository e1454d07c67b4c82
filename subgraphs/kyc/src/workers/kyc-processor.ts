import type { Logger } from '@baas/observability';
import type { KycChecks } from '../use-cases/kyc-checks';
import type { KycDeps } from '../use-cases/kyc-deps';
import { processKycApplication } from '../use-cases/process-kyc-application';

export type KycProcessorOptions = { logger: Logger; intervalMs: number; leaseMs: number; maxAttempts: number };
export type KycProcessor = { wake(): void; stop(): Promise<void>; /** Runs until nothing is due (tests). */ drain(): Promise<number> };

/**
 * The processing loop. What survives a restart is in MongoDB: a submitted application carries
 * `nextAttemptAt`; a claim (findOneAndUpdate) pushes it one lease ahead before the checks run, so an
 * instance that dies mid-run leaves the application to whichever instance claims it after the lease;
 * several instances never run the same application at once. Woken after a submit or a new document,
 * and polling every `intervalMs` otherwise.
 */
export function startKycProcessor(deps: KycDeps & { checks: KycChecks }, opts: KycProcessorOptions): KycProcessor {
  let stopped = false;
  let timer: NodeJS.Timeout | null = null;
  let running: Promise<number> | null = null;
  let again = false;

  const drain = async (): Promise<number> => {
    let done = 0;
    while (!stopped) {
      const claimed = await deps.applications.claimDue(deps.now?.() ?? new Date(), opts.leaseMs);
      if (!claimed) break;
      try {
        const outcome = await processKycApplication(deps, claimed, { maxAttempts: opts.maxAttempts });
        if (outcome.status === 'DECIDED') opts.logger.info({ applicationId: claimed.id, outcome: outcome.decision.outcome, reasons: outcome.decision.reasons }, 'kyc application decided');
        done++;
      } catch (error) {
        // Left to the next claim after the lease.
        opts.logger.error({ applicationId: claimed.id, err: error instanceof Error ? { name: error.name, message: error.message } : String(error) }, 'kyc processing failed; retried after the lease');
      }
    }
    return done;
  };

  const tick = () => {
    if (stopped) return;
    if (running) {
      again = true;
      return;
    }
    if (timer) clearTimeout(timer);
    running = drain()
      .catch((error: unknown) => {
        opts.logger.warn({ err: error instanceof Error ? { name: error.name, message: error.message } : String(error) }, 'kyc processor could not claim; retrying');
        return 0;
      })
      .finally(() => {
        running = null;
        if (stopped) return;
        if (again) {
          again = false;
          setImmediate(tick);
        } else {
          timer = setTimeout(tick, opts.intervalMs);
          timer.unref();
        }
      });
  };
  tick();

  return {
    wake: tick,
    drain: async () => {
      // After the loop's own run (if any), so what a test sees next is settled.
      await running;
      return drain();
    },
    async stop() {
      stopped = true;
      if (timer) clearTimeout(timer);
      await running;
    },
  };
}
