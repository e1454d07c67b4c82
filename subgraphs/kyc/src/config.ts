import { storeEnv, z } from '@baas/config';
import { subgraphEnv } from '@baas/server';

export const kycConfigSchema = z.object({
  ...subgraphEnv(4106),
  MONGO_URL: storeEnv.MONGO_URL,
  MONGO_DATABASE: z.string().default('baas_kyc'),
});

export type KycConfig = z.infer<typeof kycConfigSchema>;
