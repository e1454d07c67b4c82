import { requireIdentity, type Identity } from '@baas/auth';
import { DEFAULT_EVENT_TYPE_REGISTRY, type EventTypeRegistry, type WebhookEventType } from '@baas/webhooks';

/** The event types an endpoint may subscribe to (the registry's, internal ones left out), for any caller the rule tree lets in. */
export async function listWebhookEventTypes(deps: { registry?: EventTypeRegistry }, identity: Identity | null): Promise<WebhookEventType[]> {
  requireIdentity(identity);
  const registry = deps.registry ?? DEFAULT_EVENT_TYPE_REGISTRY;
  return registry.all.filter((t) => registry.subscribable.has(t.type));
}
