import { storeEnv, z } from '@baas/config';
import { subgraphEnv } from '@baas/server';

const webhooksEnv = z.object({
  ...subgraphEnv(4108),
  DATABASE_URL: storeEnv.DATABASE_URL,
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
