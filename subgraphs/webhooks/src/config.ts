import { flag, storeEnv, z } from '@baas/config';
import { subgraphEnv } from '@baas/server';

const webhooksEnv = z.object({
  ...subgraphEnv(4108),
  DATABASE_URL: storeEnv.DATABASE_URL,
  NATS_URL: storeEnv.NATS_URL,
  /** Run the fan-out (domain events -> deliveries) and the delivery worker in this instance. */
  WEBHOOKS_DELIVERY: flag(true),
  /** The JetStream streams whose events tenants may receive, comma-separated. */
  WEBHOOKS_SOURCE_STREAMS: z.string().default('LEDGER,ACCOUNTS_EVENTS,PAYMENTS_EVENTS,CARDS_EVENTS,KYC_EVENTS'),
  /** The fan-out's durable consumer name on each stream (shared by every webhooks instance). */
  WEBHOOKS_CONSUMER: z.string().regex(/^[A-Za-z0-9_-]{1,64}$/).default('webhooks_fanout'),
  /** Attempts in flight at once per instance. */
  WEBHOOKS_CONCURRENCY: z.coerce.number().int().min(1).max(1024).default(64),
  /** Attempts in flight at once per endpoint, across every instance: what one slow receiver can hold. */
  WEBHOOKS_ENDPOINT_CONCURRENCY: z.coerce.number().int().min(1).max(64).default(8),
  /** One attempt's time limit (connect, TLS, request and answer), ms. */
  WEBHOOKS_TIMEOUT_MS: z.coerce.number().int().min(100).max(60_000).default(15_000),
  /** Events and finished deliveries older than this are deleted (the log and replays reach this far back; at least 7). */
  WEBHOOKS_RETENTION_DAYS: z.coerce.number().int().min(7).max(3650).default(30),
  /** How often a worker looks for due retries when nothing wakes it, ms. */
  WEBHOOKS_POLL_MS: z.coerce.number().int().min(10).max(60_000).default(500),
  /**
   * The retry delays after attempt 1, 2, ... in ms, comma-separated (tests and drills shorten
   * them); default the @baas/webhooks table, 9 retries over about three days.
   */
  WEBHOOKS_RETRY_DELAYS_MS: z
    .string()
    .regex(/^\d+(,\d+){0,29}$/)
    .optional()
    .transform((v) => (v ? v.split(',').map(Number) : undefined)),
  /**
   * Keys sealing the endpoints' signing secrets (@baas/pii, the same variables as identity):
   * "id:base64,id2:base64" (32-byte keys), the last one encrypts unless PII_ACTIVE_KEY_ID names one.
   * Required in production; outside it a key is made for the process (secrets sealed with it are
   * unreadable after a restart: set PII_KEYS wherever deliveries must survive one).
   */
  PII_KEYS: z.string().optional(),
  PII_ACTIVE_KEY_ID: z.string().optional(),
  PII_BLIND_INDEX_KEY: z.string().optional(),
  /**
   * Endpoint URLs may be `http:` and loopback (development, tests, the local receiver). Default:
   * true outside production, false in production. Private, link-local and other non-public
   * addresses are refused whatever this says.
   */
  WEBHOOKS_ALLOW_INSECURE_URLS: z.enum(['true', 'false', '1', '0']).optional(),
});

export const webhooksConfigSchema = webhooksEnv.transform((env) => ({
  ...env,
  WEBHOOKS_ALLOW_INSECURE_URLS: env.WEBHOOKS_ALLOW_INSECURE_URLS === undefined ? env.NODE_ENV !== 'production' : env.WEBHOOKS_ALLOW_INSECURE_URLS === 'true' || env.WEBHOOKS_ALLOW_INSECURE_URLS === '1',
}));

export type WebhooksConfig = z.infer<typeof webhooksConfigSchema>;
