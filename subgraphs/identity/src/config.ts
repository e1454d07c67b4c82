import { storeEnv, z } from '@baas/config';
import { subgraphEnv } from '@baas/server';

export const identityConfigSchema = z.object({
  ...subgraphEnv(4101),
  DATABASE_URL: storeEnv.DATABASE_URL,
  /** PKCS#8 PEM of the RS256 signing key; a development key is generated when absent outside production. */
  JWT_PRIVATE_KEY: z.string().optional(),
  JWT_KEY_ID: z.string().default('dev-1'),
  JWT_ISSUER: z.string().default('https://identity.baas.local'),
  JWT_AUDIENCE: z.string().default('baas-api'),
  ACCESS_TOKEN_TTL_SECONDS: z.coerce.number().int().min(30).max(3600).default(900),
  REFRESH_TOKEN_TTL_SECONDS: z.coerce.number().int().min(60).default(30 * 24 * 3600),
  /** PII encryption keys "id:base64,id2:base64" (32-byte keys); development keys are made when absent outside production. */
  PII_KEYS: z.string().optional(),
  PII_ACTIVE_KEY_ID: z.string().optional(),
  PII_BLIND_INDEX_KEY: z.string().optional(),
  SESSION_TTL_SECONDS: z.coerce.number().int().min(60).default(90 * 24 * 3600),
});

export type IdentityConfig = z.infer<typeof identityConfigSchema>;
