import { requireIdentity, type Identity } from '@baas/auth';
import { badInput } from '@baas/errors';
import { decodeTimeIdCursor, encodeTimeIdCursor, isUuid } from '@baas/server';
import { visibleDelivery, visibleEndpoint } from '../permissions';
import type { WebhookEndpointRow } from '../store/webhook-endpoint-store';
import type { WebhookDeliveryRow, WebhookDeliveryStore } from '../store/webhook-delivery-store';

export const MAX_DELIVERIES_PAGE = 100;
const STATUSES = new Set(['PENDING', 'DELIVERING', 'SUCCEEDED', 'FAILED', 'CANCELLED']);

export type ReadDeliveriesDeps = {
  endpoints: { load(id: string): Promise<WebhookEndpointRow | null> };
  deliveries: Pick<WebhookDeliveryStore, 'page'> & { load(id: string): Promise<WebhookDeliveryRow | null> };
};

/**
 * An endpoint's delivery log, newest first: whoever may read the endpoint (its tenant's client
 * with a webhooks scope, operators); FORBIDDEN for an endpoint a client may not see, existing or not.
 */
export async function listWebhookDeliveries(
  deps: ReadDeliveriesDeps,
  identity: Identity | null,
  args: { endpointId: string; status?: string | null; first?: number | null; after?: string | null },
) {
  const who = requireIdentity(identity);
  const first = args.first ?? 50;
  if (!Number.isInteger(first) || first < 1 || first > MAX_DELIVERIES_PAGE) throw badInput(`first must be 1 to ${MAX_DELIVERIES_PAGE}.`, { field: 'first', limit: MAX_DELIVERIES_PAGE });
  const endpoint = visibleEndpoint(who, isUuid(args.endpointId) ? await deps.endpoints.load(args.endpointId.toLowerCase()) : null);
  if (!endpoint) return { items: [], endCursor: null, hasNextPage: false };
  if (args.status && !STATUSES.has(args.status)) throw badInput('status is not a delivery status.', { field: 'status' });
  const c = args.after ? decodeTimeIdCursor(args.after) : null;
  if (c && !isUuid(c.id)) throw badInput('after is not a valid cursor.', { field: 'after' });
  const page = await deps.deliveries.page(endpoint.id, args.status ?? null, first, c ? { createdAt: new Date(c.createdAt), id: c.id } : null);
  const last = page.items.at(-1);
  return { items: page.items, endCursor: last ? encodeTimeIdCursor(last) : null, hasNextPage: page.hasNextPage };
}

/** A delivery by id: its tenant's client (a webhooks scope) or an operator; FORBIDDEN for a client otherwise, missing or not. */
export async function getWebhookDelivery(deps: { deliveries: { load(id: string): Promise<WebhookDeliveryRow | null> } }, identity: Identity | null, id: string): Promise<WebhookDeliveryRow | null> {
  const who = requireIdentity(identity);
  return visibleDelivery(who, isUuid(id) ? await deps.deliveries.load(id.toLowerCase()) : null);
}
