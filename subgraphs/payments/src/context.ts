import { createByIdLoader, type SubgraphContext } from '@baas/server';
import type { PaymentStore } from './store/payment-store';

/** The per-request loaders of the payments subgraph: one batched read per entity per request. */
export function createPaymentsLoaders(payments: PaymentStore) {
  return {
    payment: createByIdLoader((ids: string[]) => payments.findByIds(ids)),
  };
}

export type PaymentsLoaders = ReturnType<typeof createPaymentsLoaders>;

/** What the payments resolvers receive: the request's identity and its loaders. */
export type PaymentsContext = SubgraphContext & { loaders: PaymentsLoaders };
