import { storeEnv, z } from '@baas/config';
import { subgraphEnv } from '@baas/server';

export const ledgerConfigSchema = z.object({
  ...subgraphEnv(4103),
  DATABASE_URL: storeEnv.DATABASE_URL,
});

export type LedgerConfig = z.infer<typeof ledgerConfigSchema>;
