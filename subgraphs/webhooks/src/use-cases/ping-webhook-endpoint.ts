import { requireIdentity, type Identity } from '@baas/auth';
import { derivedUuid, isUuid } from '@baas/server';
import { webhookBody } from '../domain/event-routing';
import { writableEndpoint, writingTenant } from '../permissions';
import { once, type ReplayDeps } from './replay-webhook-delivery';

/**
 * Sends a `webhook.ping` event to one endpoint, whatever types it subscribes to (it must be
 * enabled to be attempted): the tenant's client with webhooks:write. The event id derives from the
 * key, so a repeat finds the same delivery.
 */
export async function pingWebhookEndpoint(deps: ReplayDeps, identity: Identity | null, endpointId: string, idempotencyKey: string) {
  const who = requireIdentity(identity);
  const tenantId = writingTenant(who);
  const endpoint = writableEndpoint(who, isUuid(endpointId) ? await deps.endpoints.findById(endpointId.toLowerCase()) : null);
  const { deliveryId } = await once(deps, tenantId, idempotencyKey, 'ping', { endpointId: endpoint.id }, async () => {
    const at = (deps.now ?? (() => new Date()))();
    const id = derivedUuid(`webhooks:ping-event:${tenantId}:${String(idempotencyKey).toLowerCase()}`);
    const body = webhookBody(id, 'webhook.ping', at, { endpointId: endpoint.id, message: 'ping' });
    const delivery = await deps.deliveries.recordDirect({ tenantId, id, type: 'webhook.ping', occurredAt: at, body }, endpoint.id);
    deps.wake?.();
    return { deliveryId: delivery.id };
  });
  return (await deps.deliveries.findById(deliveryId))!;
}
