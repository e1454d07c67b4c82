import type { Logger } from '@baas/observability';
import { completeDueClaims } from '../use-cases/resolve-pix-key-claim';
import type { PixKeyDeps } from '../use-cases/register-pix-key';

export type ClaimTimer = { stop(): Promise<void> };

const errInfo = (error: unknown) => ({ name: (error as Error)?.name, message: (error as Error)?.message, code: (error as { code?: unknown })?.code });

/**
 * Resolves PIX key claims whose resolution period ended (completeDueClaims) every `intervalMs`,
 * one run at a time. It never throws out: a failed run (database away, restarting) is logged and
 * the next interval tries again; a claim that cannot move is logged by id. Several instances may
 * run at once: a claim moves only from OPEN, in one transaction, so each moves once. `stop()`
 * waits for the run in flight.
 */
export function startClaimTimer(opts: { deps: Pick<PixKeyDeps, 'keys' | 'now'>; intervalMs: number; logger: Pick<Logger, 'info' | 'warn'> }): ClaimTimer {
  let stopped = false;
  let running: Promise<void> = Promise.resolve();
  let timer: NodeJS.Timeout | undefined;

  const tick = async () => {
    try {
      const result = await completeDueClaims(opts.deps, opts.deps.now?.() ?? new Date());
      if (result.completed || result.cancelled) opts.logger.info({ completed: result.completed, cancelled: result.cancelled }, 'pix key claims resolved');
      for (const f of result.failed) opts.logger.warn({ claimId: f.claimId, err: errInfo(f.error) }, 'pix key claim could not be resolved; retried later');
    } catch (error) {
      opts.logger.warn({ err: errInfo(error) }, 'pix key claim timer run failed; retried later');
    }
  };
  const schedule = () => {
    if (stopped) return;
    timer = setTimeout(() => {
      running = tick().finally(schedule);
    }, opts.intervalMs);
    timer.unref?.();
  };
  schedule();

  return {
    async stop() {
      stopped = true;
      if (timer) clearTimeout(timer);
      await running;
    },
  };
}
