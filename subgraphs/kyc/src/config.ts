import { commonEnv, port, storeEnv, z } from '@baas/config';

export const kycConfigSchema = z.object({
  ...commonEnv,
  PORT: port(4106),
  HOST: z.string().default('127.0.0.1'),
  MONGO_URL: storeEnv.MONGO_URL,
  MONGO_DATABASE: z.string().default('baas_kyc'),
  INTERNAL_IDENTITY_SECRET: z.string().min(32, 'must be at least 32 characters'),
});

export type KycConfig = z.infer<typeof kycConfigSchema>;
