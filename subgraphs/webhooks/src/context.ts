import { createByIdLoader, createGroupLoader, type SubgraphContext } from '@baas/server';
import type { WebhookDeliveryStore } from './store/webhook-delivery-store';
import type { WebhookEndpointStore } from './store/webhook-endpoint-store';
import type { EndpointWriteDeps } from './use-cases/create-webhook-endpoint';
import type { ReplayDeps } from './use-cases/replay-webhook-delivery';

/** The per-request loaders of the webhooks subgraph: one batched read per entity per request. */
export function createWebhooksLoaders(endpoints: WebhookEndpointStore, deliveries: WebhookDeliveryStore) {
  const bodies = new Map<string, Promise<string>>();
  return {
    endpoint: createByIdLoader((ids: string[]) => endpoints.findByIds(ids)),
    delivery: createByIdLoader((ids: string[]) => deliveries.findByIds(ids)),
    attempts: createGroupLoader((a: { deliveryId: string }) => a.deliveryId, (ids: string[]) => deliveries.attemptsOf(ids)),
    /** An event's body as the tenant received it. */
    body(tenantId: string, eventId: string): Promise<string> {
      const key = `${tenantId}/${eventId}`;
      let p = bodies.get(key);
      if (!p) {
        p = deliveries.bodiesOf([{ tenantId, eventId }]).then((rows) => rows[0]?.body ?? '');
        bodies.set(key, p);
      }
      return p;
    },
  };
}

export type WebhooksLoaders = ReturnType<typeof createWebhooksLoaders>;

/** What the webhooks resolvers receive: the request's identity, its loaders and the use cases' dependencies. */
export type WebhooksContext = SubgraphContext & { loaders: WebhooksLoaders; webhooks: EndpointWriteDeps; replays: ReplayDeps; deliveries: WebhookDeliveryStore };
