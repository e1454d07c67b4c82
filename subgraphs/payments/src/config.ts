import { commonEnv, port, storeEnv, z } from '@baas/config';

export const paymentsConfigSchema = z.object({
  ...commonEnv,
  PORT: port(4104),
  HOST: z.string().default('127.0.0.1'),
  DATABASE_URL: storeEnv.DATABASE_URL,
  INTERNAL_IDENTITY_SECRET: z.string().min(32, 'must be at least 32 characters'),
});

export type PaymentsConfig = z.infer<typeof paymentsConfigSchema>;
