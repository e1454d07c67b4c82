import { storeEnv, z } from '@baas/config';
import { subgraphEnv } from '@baas/server';

export const cardsConfigSchema = z.object({
  ...subgraphEnv(4105),
  DATABASE_URL: storeEnv.DATABASE_URL,
});

export type CardsConfig = z.infer<typeof cardsConfigSchema>;
