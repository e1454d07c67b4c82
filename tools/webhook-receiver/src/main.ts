import { randomBytes } from 'node:crypto';
import { commonEnv, z } from '@baas/config';
import { runService } from '@baas/server';
import { startWebhookReceiver } from './receiver';

/**
 * The receiver as a process (`npm start -w @baas/webhook-receiver`): prints its URL (and the secret
 * it generated when none was given) on stdout as `WEBHOOK_RECEIVER_URL=...`, then logs each
 * delivery's id, type and verdict (never the body).
 */
export const webhookReceiverEnv = z.object({
  ...commonEnv,
  WEBHOOK_RECEIVER_PORT: z.coerce.number().int().min(0).max(65_535).default(4400),
  WEBHOOK_RECEIVER_HOST: z.string().default('127.0.0.1'),
  /** `whsec_` secrets, separated by spaces or commas; one is generated (and printed) when empty. */
  WEBHOOK_RECEIVER_SECRETS: z.string().default(''),
  WEBHOOK_RECEIVER_FAIL_FIRST: z.coerce.number().int().min(0).default(0),
  WEBHOOK_RECEIVER_HANG: z.enum(['true', 'false']).default('false'),
});

await runService({
  service: 'webhook-receiver',
  schema: webhookReceiverEnv,
  start: async (config, logger) => {
    let secrets = config.WEBHOOK_RECEIVER_SECRETS.split(/[\s,]+/).filter((s) => s !== '');
    if (secrets.length === 0) {
      secrets = [`whsec_${randomBytes(32).toString('base64')}`];
      process.stdout.write(`WEBHOOK_RECEIVER_SECRET=${secrets[0]}\n`);
    }
    const receiver = await startWebhookReceiver({
      port: config.WEBHOOK_RECEIVER_PORT,
      host: config.WEBHOOK_RECEIVER_HOST,
      secrets,
      failFirst: config.WEBHOOK_RECEIVER_FAIL_FIRST,
      hang: config.WEBHOOK_RECEIVER_HANG === 'true',
    });
    process.stdout.write(`WEBHOOK_RECEIVER_URL=${receiver.url}\n`);
    let logged = 0;
    const timer = setInterval(() => {
      for (; logged < receiver.received.length; logged++) {
        const r = receiver.received[logged]!;
        logger.info({ id: r.id, type: r.type, verified: r.verified, answered: r.answered, error: r.error }, 'webhook received');
      }
    }, 200);
    return {
      async stop() {
        clearInterval(timer);
        await receiver.close();
      },
    };
  },
});
