import { MongoClient } from 'mongodb';
import type { Logger } from '@baas/observability';
import { startSubgraph, type RunningSubgraph } from '@baas/server';
import type { KycConfig } from './config';
import { createKycLoaders, resolvers, type KycCaseDoc, type KycContext } from './resolvers/index';
import { kycPermissions } from './permissions';

/** Starts the KYC subgraph (cases and documents live in MongoDB). */
export async function createKycSubgraph(config: KycConfig, logger: Logger): Promise<RunningSubgraph> {
  const mongo = new MongoClient(config.MONGO_URL, { serverSelectionTimeoutMS: 5000, appName: 'baas-kyc' });
  await mongo.connect();
  const cases = mongo.db(config.MONGO_DATABASE).collection<KycCaseDoc>('kyc_cases');
  return startSubgraph<KycContext>({
    name: 'kyc',
    schema: new URL('./schema.graphql', import.meta.url),
    resolvers,
    permissions: kycPermissions,
    config,
    logger,
    context: (base) => ({ ...base, loaders: createKycLoaders(cases) }),
    readiness: async () => ({ mongodb: await mongo.db('admin').command({ ping: 1 }).then(() => true, () => false) }),
    onStop: () => mongo.close(),
  });
}
