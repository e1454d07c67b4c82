import { commonEnv, storeEnv, z } from '@baas/config';
import { runService } from '@baas/server';
import { startSandboxBank } from './bank';

/** The sandbox bank's environment (validated; every problem listed, exit 1). */
export const sandboxBankEnv = z.object({
  ...commonEnv,
  NATS_URL: storeEnv.NATS_URL,
  SANDBOX_BANK_HOME_ISPB: z.string().regex(/^\d{8}$/, 'an ISPB is 8 digits').default('99999999'),
  SANDBOX_BANK_LATENCY_MS: z.coerce.number().int().min(0).max(600_000).default(20),
  SANDBOX_BANK_REJECT_RATE: z.coerce.number().min(0).max(1).default(0),
  SANDBOX_BANK_RETURN_RATE: z.coerce.number().min(0).max(1).default(0),
  /** Optional isolation (tests, several sandboxes on one NATS): subject namespace, event stream, KV bucket. */
  SANDBOX_BANK_NAMESPACE: z.string().regex(/^[A-Za-z0-9_-]+(\.[A-Za-z0-9_-]+)*$/).default('rails'),
  SANDBOX_BANK_STREAM: z.string().regex(/^[A-Za-z0-9_-]+$/).default('RAILS_EVENTS'),
  SANDBOX_BANK_BUCKET: z.string().regex(/^[A-Za-z0-9_-]+$/).default('SANDBOX_BANK'),
});

await runService({
  service: 'sandbox-bank',
  schema: sandboxBankEnv,
  start: (config, logger) =>
    startSandboxBank({
      natsUrl: config.NATS_URL,
      homeIspb: config.SANDBOX_BANK_HOME_ISPB,
      latencyMs: config.SANDBOX_BANK_LATENCY_MS,
      rejectRate: config.SANDBOX_BANK_REJECT_RATE,
      returnRate: config.SANDBOX_BANK_RETURN_RATE,
      namespace: config.SANDBOX_BANK_NAMESPACE,
      streamName: config.SANDBOX_BANK_STREAM,
      bucket: config.SANDBOX_BANK_BUCKET,
      logger,
    }),
});
