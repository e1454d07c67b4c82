import { commonEnv, port, storeEnv, z } from '@baas/config';

export const ledgerConfigSchema = z.object({
  ...commonEnv,
  PORT: port(4103),
  HOST: z.string().default('127.0.0.1'),
  DATABASE_URL: storeEnv.DATABASE_URL,
  INTERNAL_IDENTITY_SECRET: z.string().min(32, 'must be at least 32 characters'),
});

export type LedgerConfig = z.infer<typeof ledgerConfigSchema>;
