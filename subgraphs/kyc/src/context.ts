import { createByIdLoader, type SubgraphContext } from '@baas/server';
import type { KycCaseRow, KycCaseStore } from './store/kyc-case-store';

/** The per-request loaders of the KYC subgraph: one batched read per entity per request. */
export function createKycLoaders(cases: KycCaseStore) {
  return {
    kycCase: createByIdLoader<string, KycCaseRow>((ids) => cases.findByIds(ids)),
  };
}

export type KycLoaders = ReturnType<typeof createKycLoaders>;

/** What the KYC resolvers receive: the request's identity and its loaders. */
export type KycContext = SubgraphContext & { loaders: KycLoaders };
