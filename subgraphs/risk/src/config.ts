import { storeEnv, z } from '@baas/config';
import { subgraphEnv } from '@baas/server';

export const riskConfigSchema = z.object({
  ...subgraphEnv(4107),
  NEO4J_URL: storeEnv.NEO4J_URL,
  REDIS_URL: storeEnv.REDIS_URL,
});

export type RiskConfig = z.infer<typeof riskConfigSchema>;
