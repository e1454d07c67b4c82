import { loadConfig, type z } from '@baas/config';
import { createLogger, type Logger } from '@baas/observability';

/**
 * A service's entry point: validated configuration (exit 1 listing every problem), a logger, and a
 * graceful stop on SIGINT/SIGTERM.
 */
export async function runService<S extends z.ZodType<{ LOG_LEVEL: string }>>(opts: {
  service: string;
  schema: S;
  start: (config: z.infer<S>, logger: Logger) => Promise<{ stop(): Promise<void> }>;
}): Promise<void> {
  const config = loadConfig(opts.schema, { service: opts.service });
  const logger = createLogger({ service: opts.service, level: config.LOG_LEVEL });
  try {
    const running = await opts.start(config, logger);
    for (const signal of ['SIGINT', 'SIGTERM'] as const) {
      process.once(signal, () => {
        logger.info({ signal }, 'stopping');
        void running.stop().finally(() => process.exit(0));
      });
    }
  } catch (error) {
    logger.fatal({ err: error }, 'failed to start');
    process.exit(1);
  }
}
