import { commonEnv, port, storeEnv, z } from '@baas/config';

export const riskConfigSchema = z.object({
  ...commonEnv,
  PORT: port(4107),
  HOST: z.string().default('127.0.0.1'),
  NEO4J_URL: storeEnv.NEO4J_URL,
  REDIS_URL: storeEnv.REDIS_URL,
  INTERNAL_IDENTITY_SECRET: z.string().min(32, 'must be at least 32 characters'),
});

export type RiskConfig = z.infer<typeof riskConfigSchema>;
