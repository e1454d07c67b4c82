import { storeEnv, z } from '@baas/config';
import { subgraphEnv } from '@baas/server';

export const accountsConfigSchema = z.object({
  ...subgraphEnv(4102),
  DATABASE_URL: storeEnv.DATABASE_URL,
});

export type AccountsConfig = z.infer<typeof accountsConfigSchema>;
