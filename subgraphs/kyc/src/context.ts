import { createByIdLoader, type SubgraphContext } from '@baas/server';
import DataLoader from 'dataloader';
import type { ApplicationStore, KycApplicationRow } from './store/application-store';
import type { CustomerKycRow, CustomerKycStore } from './store/customer-kyc-store';
import type { KycDeps } from './use-cases/kyc-deps';

/** The per-request loaders of the KYC subgraph: one batched read per entity per request. */
export function createKycLoaders(stores: { applications: Pick<ApplicationStore, 'findByIds'>; customers: Pick<CustomerKycStore, 'findByIds'> }) {
  return {
    application: createByIdLoader<string, KycApplicationRow>((ids) => stores.applications.findByIds(ids)),
    customerKyc: new DataLoader<string, CustomerKycRow | null>(async (ids) => {
      const rows = await stores.customers.findByIds(ids);
      return ids.map((id) => rows.find((r) => r.customerId === id) ?? null);
    }),
  };
}

export type KycLoaders = ReturnType<typeof createKycLoaders>;

/** What the KYC resolvers receive: the request's identity, its loaders and the use cases' deps (with the request's audit trail). */
export type KycContext = SubgraphContext & { loaders: KycLoaders; kyc: KycDeps };
