import { requireIdentity, type Identity } from '@baas/auth';
import { isUuid } from '@baas/server';
import { visibleEndpoint } from '../permissions';
import type { WebhookEndpointRow } from '../store/webhook-endpoint-store';

export type GetWebhookEndpointDeps = { endpoints: { load(id: string): Promise<WebhookEndpointRow | null> } };

/**
 * An endpoint by id. Operators read any tenant's (null when missing or deleted); a tenant's API
 * client with webhooks:read or webhooks:write reads its own and gets FORBIDDEN for any other id,
 * existing or not. Customers are refused by the rule tree.
 */
export async function getWebhookEndpoint(deps: GetWebhookEndpointDeps, identity: Identity | null, id: string): Promise<WebhookEndpointRow | null> {
  const who = requireIdentity(identity);
  // Not a UUID: nothing to read (an operator gets null, a client FORBIDDEN as for any id not its own).
  if (!isUuid(id)) return visibleEndpoint<WebhookEndpointRow>(who, null);
  return visibleEndpoint(who, await deps.endpoints.load(id.toLowerCase()));
}
