import { randomBytes } from 'node:crypto';
import { createMongoStore } from '@baas/mongo';
import type { Logger } from '@baas/observability';
import { createPiiVault, generatePiiKey, parsePiiKeys, type PiiVault } from '@baas/pii';
import { createIdentityDirectory, startSubgraph, type RunningSubgraph } from '@baas/server';
import type { KycConfig } from './config';
import { createKycLoaders, type KycContext } from './context';
import { kycPermissions } from './permissions';
import { resolvers } from './resolvers/index';
import { kycUploadRoute, UPLOAD_ROUTE_PREFIX } from './resolvers/upload-route';
import { createClaims } from './store/claims';
import { createApplicationStore } from './store/application-store';
import { createCustomerKycStore } from './store/customer-kyc-store';
import { createDocumentStore } from './store/document-store';
import { kycCollections } from './store/kyc-collections';
import { createSanctionsListStore } from './store/sanctions-list-store';
import { createUploadStore } from './store/upload-store';
import { createKycEventStore } from './store/kyc-event-store';
import { createKycEventStepStore } from './store/kyc-event-steps';
import { createRescreenStore } from './store/rescreen-store';
import { createRescreenApprovedApplications } from './store/rescreen-approved-applications';
import { startKycEventRelay } from './workers/kyc-event-relay';
import { createKycEventRepair } from './workers/kyc-event-repair';
import { startRescreenWatcher } from './workers/rescreen-watcher';
import type { KycChecks } from './use-cases/kyc-checks';
import type { KycDeps } from './use-cases/kyc-deps';
import { startKycProcessor, type KycProcessor } from './workers/kyc-processor';
import { createModelChecks } from './workers/model-checks';

/** The PII vault sealing applicants and documents; outside production (the config refuses production without keys), a key made for this process. */
function loadPiiVault(config: KycConfig, logger: Logger): PiiVault {
  if (config.PII_KEYS && config.PII_BLIND_INDEX_KEY) {
    const keys = parsePiiKeys(config.PII_KEYS);
    return createPiiVault({ keys, activeKeyId: config.PII_ACTIVE_KEY_ID ?? Object.keys(keys).at(-1)!, blindIndexKey: config.PII_BLIND_INDEX_KEY });
  }
  logger.warn('PII_KEYS is not set: sealing KYC documents with a key made for this process only (they cannot be read after a restart)');
  return createPiiVault({ keys: { dev: generatePiiKey() }, activeKeyId: 'dev', blindIndexKey: generatePiiKey() });
}

export type KycSubgraphOptions = {
  /** The checks (OCR, face, liveness, screening). Absent: KYC_CHECKS decides (`models`: the real ones; `off`: none, submitted applications wait in SUBMITTED). */
  checks?: KycChecks | null;
};

/**
 * Starts the KYC subgraph (applications and documents in MongoDB): the composition root. Builds the
 * stores over its collections, the PII vault, the identity directory, the upload route
 * (PUT /kyc/uploads/:token on this service's own HTTP server, outside GraphQL) and, when checks are
 * given, the processor; closes them on stop.
 */
export async function createKycSubgraph(config: KycConfig, logger: Logger, options: KycSubgraphOptions = {}): Promise<RunningSubgraph> {
  const mongo = await createMongoStore({ url: config.MONGO_URL, database: config.MONGO_DATABASE, service: 'kyc', logger, collections: kycCollections });
  const vault = loadPiiVault(config, logger);
  const directory = createIdentityDirectory({ caller: 'kyc', url: config.IDENTITY_URL, secret: config.INTERNAL_IDENTITY_SECRET, cacheMs: config.IDENTITY_CACHE_MS });
  if (!config.KYC_UPLOAD_TOKEN_KEY) logger.warn('KYC_UPLOAD_TOKEN_KEY is not set: upload tokens use a key made for this process (a repeated upload request after a restart answers a token that no longer works)');
  let ownUrl = '';
  const rules = { minFaceSimilarity: config.KYC_MIN_FACE_SIMILARITY, minLivenessScore: config.KYC_MIN_LIVENESS_SCORE, minOcrConfidence: config.KYC_MIN_OCR_CONFIDENCE };
  const claims = createClaims(mongo.collections.claims);
  const sanctions = createSanctionsListStore(mongo.collections);
  const kycEvents = createKycEventStore(mongo.collections.kycEvents);
  const models = options.checks === undefined && config.KYC_CHECKS === 'models'
    ? createModelChecks({ sanctions, fixtures: config.KYC_SANCTIONS_FIXTURES, allowSandboxModels: config.KYC_SANDBOX_MODELS, logger })
    : null;
  const deps: KycDeps = {
    applications: createApplicationStore(mongo.collections.applications, claims, vault),
    uploads: createUploadStore(mongo.collections.uploads, claims),
    documents: createDocumentStore(mongo.collections.documents, mongo.collections.chunks, vault),
    customers: createCustomerKycStore(mongo.collections.customers),
    vault,
    uploadTokenKey: config.KYC_UPLOAD_TOKEN_KEY ? Buffer.from(config.KYC_UPLOAD_TOKEN_KEY, 'base64') : randomBytes(32),
    publicUrl: () => config.KYC_PUBLIC_URL ?? ownUrl,
    requireActiveCustomer: (tenantId, customerId) => directory.requireActiveCustomer(tenantId, customerId),
    customerInTenant: async (tenantId, customerId) => (await directory.customerStanding(tenantId, customerId)) !== null,
    rulesOf: async () => rules,
    checks: options.checks ?? models?.checks ?? null,
    kycEvents,
    logger,
  };
  let processor: KycProcessor | null = null;
  if (deps.checks) {
    processor = startKycProcessor({ ...deps, checks: deps.checks }, { logger, intervalMs: config.KYC_PROCESS_INTERVAL_MS, leaseMs: config.KYC_PROCESS_LEASE_MS, maxAttempts: config.KYC_PROCESS_MAX_ATTEMPTS });
    deps.wake = () => processor?.wake();
  } else {
    logger.warn('no KYC checks are wired: submitted applications wait in SUBMITTED');
  }
  // The events outbox to NATS (KYC_EVENTS, subjects kyc.>; webhooks delivers them), with the repair of a step
  // whose event a crash lost; rescreening of approved customers when a sanctions list changes.
  const relay = config.KYC_EVENTS_RELAY
    ? startKycEventRelay({
        events: kycEvents, claims, natsUrl: config.NATS_URL, stream: config.KYC_EVENTS_STREAM, subjectPrefix: config.EVENTS_SUBJECT_PREFIX, logger,
        repair: createKycEventRepair({ steps: createKycEventStepStore(mongo.collections.applications), events: kycEvents }),
      })
    : null;
  const rescreen = config.KYC_RESCREEN_INTERVAL_MS > 0
    ? startRescreenWatcher(
        { lists: sanctions, applications: deps.applications, rescreen: createRescreenStore(mongo.collections), approved: createRescreenApprovedApplications(mongo.collections.applications), kycEvents },
        { intervalMs: config.KYC_RESCREEN_INTERVAL_MS, logger },
      )
    : null;
  const running = await startSubgraph<KycContext>({
    name: 'kyc',
    schema: new URL('./schema.graphql', import.meta.url),
    resolvers,
    permissions: kycPermissions,
    config,
    logger,
    context: (base) => ({ ...base, loaders: createKycLoaders(deps), kyc: { ...deps, audit: base.audit } }),
    routes: { [`${UPLOAD_ROUTE_PREFIX}*`]: kycUploadRoute(deps, logger) },
    readiness: async () => ({ mongodb: await mongo.isReady() }),
    onStop: async () => {
      await processor?.stop();
      await rescreen?.stop();
      await relay?.stop();
      await models?.close();
      await mongo.close();
    },
  });
  ownUrl = running.url.replace(/\/graphql$/, '');
  return running;
}
