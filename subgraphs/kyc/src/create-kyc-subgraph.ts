import { createMongoStore } from '@baas/mongo';
import type { Logger } from '@baas/observability';
import { startSubgraph, type RunningSubgraph } from '@baas/server';
import type { KycConfig } from './config';
import { createKycLoaders, type KycContext } from './context';
import { kycPermissions } from './permissions';
import { resolvers } from './resolvers/index';
import { kycCollections } from './store/kyc-collections';
import { createKycCaseStore } from './store/kyc-case-store';

/**
 * Starts the KYC subgraph (cases and documents live in MongoDB). Its collections, indexes and
 * validators are created before it serves; what the server cannot enforce is logged at start.
 */
export async function createKycSubgraph(config: KycConfig, logger: Logger): Promise<RunningSubgraph> {
  const mongo = await createMongoStore({ url: config.MONGO_URL, database: config.MONGO_DATABASE, service: 'kyc', logger, collections: kycCollections });
  const cases = createKycCaseStore(mongo.collections.cases);
  return startSubgraph<KycContext>({
    name: 'kyc',
    schema: new URL('./schema.graphql', import.meta.url),
    resolvers,
    permissions: kycPermissions,
    config,
    logger,
    context: (base) => ({ ...base, loaders: createKycLoaders(cases) }),
    readiness: async () => ({ mongodb: await mongo.isReady() }),
    onStop: () => mongo.close(),
  });
}
