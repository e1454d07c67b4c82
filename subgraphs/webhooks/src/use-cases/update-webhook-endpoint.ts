import { requireIdentity, type Identity } from '@baas/auth';
import { badInput } from '@baas/errors';
import { isUuid } from '@baas/server';
import { parseDescription, parseEventTypes } from '../domain/endpoint-rules';
import { writableEndpoint } from '../permissions';
import type { WebhookEndpointPatch, WebhookEndpointRow } from '../store/webhook-endpoint-store';
import { checkedUrl, type EndpointWriteDeps } from './create-webhook-endpoint';

export type UpdateWebhookEndpointInput = { url?: string | null; eventTypes?: readonly string[] | null; description?: string | null; enabled?: boolean | null };

/**
 * Changes an endpoint of the caller's tenant (its API client with webhooks:write): FORBIDDEN for
 * any other endpoint, missing or deleted ones included, before anything is checked or written.
 * Each field given is checked as on creation (BAD_USER_INPUT naming it); what is left out stays.
 */
export async function updateWebhookEndpoint(deps: EndpointWriteDeps, identity: Identity | null, id: string, input: UpdateWebhookEndpointInput): Promise<WebhookEndpointRow> {
  const who = requireIdentity(identity);
  const row = writableEndpoint(who, isUuid(id) ? await deps.endpoints.findById(id.toLowerCase()) : null);
  const patch: WebhookEndpointPatch = {};
  if (input.eventTypes !== undefined && input.eventTypes !== null) patch.eventTypes = parseEventTypes(input.eventTypes, deps.registry);
  if (input.description !== undefined) patch.description = parseDescription(input.description);
  if (input.enabled !== undefined && input.enabled !== null) patch.enabled = input.enabled;
  if (input.url !== undefined && input.url !== null) patch.url = await checkedUrl(deps, input.url);
  if (input.url === null) throw badInput('url may not be removed.', { field: 'url', reason: 'MALFORMED_URL' });
  if (Object.keys(patch).length === 0) return row;
  return deps.endpoints.update(row.id, patch, (deps.now ?? (() => new Date()))());
}
