import { storeEnv, z } from '@baas/config';
import { subgraphEnv } from '@baas/server';

export const paymentsConfigSchema = z.object({
  ...subgraphEnv(4104),
  DATABASE_URL: storeEnv.DATABASE_URL,
});

export type PaymentsConfig = z.infer<typeof paymentsConfigSchema>;
