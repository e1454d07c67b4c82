import { createByIdLoader, type SubgraphContext } from '@baas/server';
import type { WebhookEndpointStore } from './store/webhook-endpoint-store';
import type { EndpointWriteDeps } from './use-cases/create-webhook-endpoint';

/** The per-request loaders of the webhooks subgraph: one batched read per entity per request. */
export function createWebhooksLoaders(endpoints: WebhookEndpointStore) {
  return {
    endpoint: createByIdLoader((ids: string[]) => endpoints.findByIds(ids)),
  };
}

export type WebhooksLoaders = ReturnType<typeof createWebhooksLoaders>;

/** What the webhooks resolvers receive: the request's identity, its loaders and the use cases' dependencies. */
export type WebhooksContext = SubgraphContext & { loaders: WebhooksLoaders; webhooks: EndpointWriteDeps };
