import { loadConfig, type z } from '@baas/config';
import { createLogger, type Logger } from '@baas/observability';

/** Exit code after an uncaught exception (EX_SOFTWARE): not a bad configuration (1), a crash to restart. */
export const CRASH_EXIT_CODE = 70;

/** How long a crashing process gives its graceful stop before it exits anyway. */
const CRASH_STOP_DEADLINE_MS = 5_000;

type Stoppable = { stop(): Promise<void> };

/**
 * The process-level failure policy every service runs under (installed by runService):
 *
 * - `unhandledRejection`: logged (error level, with the correlation id of the request whose async
 *   chain it came from, the error's message and stack, never its other properties beyond what the
 *   logger's redaction lets through) and counted; the process keeps serving. A promise nobody
 *   awaited failed: that one operation is lost, but the rest of the process is sound (nothing was
 *   left half-done synchronously), and ending every other in-flight request for it would turn one
 *   failure into many. Node's default (since 15) is to crash: that is what took the platform down
 *   when PostgreSQL restarted.
 * - `uncaughtException`: logged (fatal) and the process exits with CRASH_EXIT_CODE (70) after a
 *   bounded graceful stop, for its supervisor (`npm start`'s runner, Kubernetes, systemd, Docker's
 *   restart policy) to start a fresh one. An exception thrown out of an event handler left code
 *   half-way through a synchronous section; Node documents that resuming after it is unsafe.
 */
export function installProcessPolicy(opts: { logger: Logger; running: () => Stoppable | undefined; exit?: (code: number) => void }): () => void {
  const exit = opts.exit ?? ((code: number) => process.exit(code));
  let unhandled = 0;
  let crashing = false;
  const onRejection = (reason: unknown) => {
    unhandled += 1;
    opts.logger.error({ err: reason, event: 'unhandledRejection', unhandledRejections: unhandled }, 'unhandled promise rejection; the process keeps serving');
  };
  const onException = (error: unknown, origin: string) => {
    opts.logger.fatal({ err: error, event: 'uncaughtException', origin }, 'uncaught exception; exiting so that the supervisor restarts the process');
    if (crashing) return;
    crashing = true;
    const running = opts.running();
    const deadline = setTimeout(() => exit(CRASH_EXIT_CODE), CRASH_STOP_DEADLINE_MS);
    deadline.unref();
    Promise.resolve(running?.stop())
      .catch(() => undefined)
      .finally(() => {
        clearTimeout(deadline);
        exit(CRASH_EXIT_CODE);
      });
  };
  process.on('unhandledRejection', onRejection);
  process.on('uncaughtException', onException);
  return () => {
    process.off('unhandledRejection', onRejection);
    process.off('uncaughtException', onException);
  };
}

/**
 * A service's entry point: validated configuration (exit 1 listing every problem), a logger, the
 * process failure policy (installProcessPolicy: an unhandled rejection is logged and the process
 * keeps serving; an uncaught exception exits 70 for the supervisor to restart it), and a graceful
 * stop on SIGINT/SIGTERM (exit 0).
 */
export async function runService<S extends z.ZodType<{ LOG_LEVEL: string }>>(opts: {
  service: string;
  schema: S;
  start: (config: z.infer<S>, logger: Logger) => Promise<Stoppable>;
}): Promise<void> {
  const config = loadConfig(opts.schema, { service: opts.service });
  const logger = createLogger({ service: opts.service, level: config.LOG_LEVEL });
  let running: Stoppable | undefined;
  installProcessPolicy({ logger, running: () => running });
  try {
    running = await opts.start(config, logger);
    for (const signal of ['SIGINT', 'SIGTERM'] as const) {
      process.once(signal, () => {
        logger.info({ signal }, 'stopping');
        void running!
          .stop()
          .catch((error: unknown) => logger.error({ err: error }, 'stop failed'))
          .finally(() => process.exit(0));
      });
    }
  } catch (error) {
    logger.fatal({ err: error }, 'failed to start');
    process.exit(1);
  }
}
