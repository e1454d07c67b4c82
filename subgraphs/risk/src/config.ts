import { storeEnv, z } from '@baas/config';
import { neo4jEnv } from '@baas/neo4j';
import { subgraphEnv } from '@baas/server';

export const riskConfigSchema = z.object({
  ...subgraphEnv(4107),
  ...neo4jEnv,
  REDIS_URL: storeEnv.REDIS_URL,
});

export type RiskConfig = z.infer<typeof riskConfigSchema>;
