import { commonEnv, port, storeEnv, z } from '@baas/config';

export const identityConfigSchema = z.object({
  ...commonEnv,
  PORT: port(4101),
  HOST: z.string().default('127.0.0.1'),
  DATABASE_URL: storeEnv.DATABASE_URL,
  INTERNAL_IDENTITY_SECRET: z.string().min(32, 'must be at least 32 characters'),
  /** PKCS#8 PEM of the RS256 signing key; a development key is generated when absent outside production. */
  JWT_PRIVATE_KEY: z.string().optional(),
  JWT_KEY_ID: z.string().default('dev-1'),
  JWT_ISSUER: z.string().default('https://identity.baas.local'),
  JWT_AUDIENCE: z.string().default('baas-api'),
});

export type IdentityConfig = z.infer<typeof identityConfigSchema>;
